package org.accomplishments.validator.share.syncdaemon;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** {@code validator.shares.syncdaemon.*}: where the sync daemon's bus is and how patient to be with it. */
@ConfigurationProperties("validator.shares.syncdaemon")
public interface SyncDaemonSettings {
    /** The session bus the daemon is on; blank: the {@code DBUS_SESSION_BUS_ADDRESS} environment variable. */
    String getBusAddress();

    /** How long to wait for {@code ShareAnswerResponse} after {@code accept_share}, and for {@code ShareSubscribed}. */
    Duration getAnswerTimeout();

    /** How long to wait for the reply to any method call. */
    Duration getCallTimeout();

    /** Ask the bus to start the daemon (D-Bus activation) when it is not running. */
    boolean isActivate();

    /** How often the connection and the daemon's presence on the bus are checked. */
    Duration getWatchdogInterval();

    Reconnect getReconnect();

    /** {@code validator.shares.syncdaemon.reconnect.*}: the delay between attempts doubles up to a maximum. */
    @ConfigurationProperties("reconnect")
    interface Reconnect {
        Duration getInitialDelay();

        Duration getMaxDelay();
    }
}
