package org.accomplishments.validator.share.syncdaemon;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

import java.util.Map;

/** {@code /status}: the part of {@code com.ubuntuone.SyncDaemon.Status} this server uses (syncdaemon-dbus.md). */
@DBusInterfaceName("com.ubuntuone.SyncDaemon.Status")
public interface SyncDaemonStatus extends DBusInterface {
    String PATH = "/status";

    /** Keys {@code name, description, is_error, is_connected, is_online, queues, connection}. */
    @DBusMemberName("current_status")
    Map<String, String> currentStatus();

    /**
     * A downloaded file was moved into place. {@code path} is absolute, under its share's folder; {@code info} is
     * empty on success and holds {@code error} on failure. Known to be missed under load: the rescan covers that.
     */
    class DownloadFinished extends DBusSignal {
        private final String file;
        private final Map<String, String> info;

        public DownloadFinished(String path, String file, Map<String, String> info) throws DBusException {
            super(path, file, info);
            this.file = file;
            this.info = info;
        }

        public String file() {
            return file;
        }

        public Map<String, String> info() {
            return info;
        }
    }
}
