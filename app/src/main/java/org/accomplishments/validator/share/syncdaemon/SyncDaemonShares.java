package org.accomplishments.validator.share.syncdaemon;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

import java.util.List;
import java.util.Map;

/**
 * {@code /shares}: the part of the sync daemon's {@code com.ubuntuone.SyncDaemon.Shares} interface this server uses
 * (syncdaemon-dbus.md). Every dict value is a string; booleans are {@code 'True'} or {@code ''}. Outcomes of
 * {@code accept_share}, {@code reject_share} and {@code subscribe} arrive later as signals.
 */
@DBusInterfaceName("com.ubuntuone.SyncDaemon.Shares")
public interface SyncDaemonShares extends DBusInterface {
    String PATH = "/shares";

    /** Shares offered to this account, pending and accepted. */
    @DBusMemberName("get_shares")
    List<Map<String, String>> getShares();

    @DBusMemberName("refresh_shares")
    void refreshShares();

    @DBusMemberName("accept_share")
    void acceptShare(String shareId);

    @DBusMemberName("reject_share")
    void rejectShare(String shareId);

    @DBusMemberName("subscribe")
    void subscribe(String shareId);

    // Signal classes must be nested in their interface for dbus-java to find the interface name (stack.md).

    /** A new pending offer; fires again when the share becomes accepted. */
    class NewShare extends ShareSignal {
        public NewShare(String path, Map<String, String> share) throws DBusException {
            super(path, share);
        }
    }

    class ShareChanged extends ShareSignal {
        public ShareChanged(String path, Map<String, String> share) throws DBusException {
            super(path, share);
        }
    }

    class ShareDeleted extends ShareSignal {
        public ShareDeleted(String path, Map<String, String> share) throws DBusException {
            super(path, share);
        }
    }

    /** {@code {volume_id, answer: 'Yes'|'No'}}, plus {@code error} when it failed. */
    class ShareAnswerResponse extends ShareSignal {
        public ShareAnswerResponse(String path, Map<String, String> answer) throws DBusException {
            super(path, answer);
        }
    }

    class ShareSubscribed extends ShareSignal {
        public ShareSubscribed(String path, Map<String, String> share) throws DBusException {
            super(path, share);
        }
    }

    class ShareUnSubscribed extends ShareSignal {
        public ShareUnSubscribed(String path, Map<String, String> share) throws DBusException {
            super(path, share);
        }
    }

    class ShareSubscribeError extends DBusSignal {
        private final Map<String, String> info;
        private final String error;

        public ShareSubscribeError(String path, Map<String, String> info, String error) throws DBusException {
            super(path, info, error);
            this.info = info;
            this.error = error;
        }

        public Map<String, String> info() {
            return info;
        }

        public String error() {
            return error;
        }
    }

    /** The {@code (a{ss})} signals: one dict describing a share (or an answer about one). */
    abstract class ShareSignal extends DBusSignal {
        private final Map<String, String> share;

        protected ShareSignal(String path, Map<String, String> share) throws DBusException {
            super(path, share);
            this.share = share;
        }

        public Map<String, String> share() {
            return share;
        }
    }
}
