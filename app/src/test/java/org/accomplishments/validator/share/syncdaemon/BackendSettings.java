package org.accomplishments.validator.share.syncdaemon;

import java.time.Duration;

/** Settings for a backend built by hand in a test, with short waits so failures show quickly. */
record BackendSettings(String busAddress, Duration answerTimeout, boolean activate) implements SyncDaemonSettings {

    static BackendSettings on(String busAddress) {
        return new BackendSettings(busAddress, Duration.ofSeconds(2), false);
    }

    BackendSettings withAnswerTimeout(Duration timeout) {
        return new BackendSettings(busAddress, timeout, activate);
    }

    BackendSettings activating() {
        return new BackendSettings(busAddress, answerTimeout, true);
    }

    @Override
    public String getBusAddress() {
        return busAddress;
    }

    @Override
    public Duration getAnswerTimeout() {
        return answerTimeout;
    }

    @Override
    public Duration getCallTimeout() {
        return Duration.ofSeconds(5);
    }

    @Override
    public boolean isActivate() {
        return activate;
    }

    @Override
    public Duration getWatchdogInterval() {
        return Duration.ofMillis(200);
    }

    @Override
    public Reconnect getReconnect() {
        return new Reconnect() {
            @Override
            public Duration getInitialDelay() {
                return Duration.ofMillis(100);
            }

            @Override
            public Duration getMaxDelay() {
                return Duration.ofMillis(400);
            }
        };
    }
}
