package org.accomplishments.validator.share.syncthing;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code validator.shares.syncthing.*}: where the appliance's own Syncthing is and which devices may offer. */
@ConfigurationProperties("validator.shares.syncthing")
public interface SyncthingSettings {
    /** The REST/GUI address of the appliance's Syncthing (loopback: {@code http://127.0.0.1:8384}). */
    String getUrl();

    /** The REST API key; empty: read {@link #getApiKeyFile()}. */
    String getApiKey();

    /** A file holding the API key (read again at every reconnect, so a key written at first start is found). */
    Path getApiKeyFile();

    /** Accepted folders are created below this directory, each at a path derived from its device and folder ids. */
    Path getRoot();

    /** Device ids allowed to offer; empty: any device (the share policy still applies to its folders). */
    List<String> getDeviceAllow();

    /** Device ids refused outright: the device is ignored and its offers never reach the share policy. */
    List<String> getDeviceDeny();

    /** How long one event long-poll waits at Syncthing (its own maximum is a minute). */
    Duration getEventTimeout();

    /** How long any other REST call may take. */
    Duration getCallTimeout();

    Reconnect getReconnect();

    /** {@code validator.shares.syncthing.reconnect.*}: the delay between attempts doubles up to a maximum. */
    @ConfigurationProperties("reconnect")
    interface Reconnect {
        Duration getInitialDelay();

        Duration getMaxDelay();
    }
}
