package org.accomplishments.validator.share.syncdaemon;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/** {@code /}: the part of {@code com.ubuntuone.SyncDaemon.SyncDaemon} this server uses (syncdaemon-dbus.md). */
@DBusInterfaceName("com.ubuntuone.SyncDaemon.SyncDaemon")
public interface SyncDaemonRoot extends DBusInterface {
    String PATH = "/";

    /** The directory every share's folder is created in. */
    @DBusMemberName("get_sharesdir")
    String getSharesDir();
}
