package org.accomplishments.validator.share.syncthing;

import org.accomplishments.validator.share.ShareSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Settings for a backend built by hand in a test, pointed at a {@link TestSyncthing}. */
record SyncthingTestSettings(String url, String apiKey, Path root, List<String> allow, List<String> deny)
        implements SyncthingSettings {

    static SyncthingTestSettings of(TestSyncthing appliance, Path root) {
        return new SyncthingTestSettings(appliance.url(), appliance.apiKey, root, List.of(), List.of());
    }

    static ShareSettings shareSettings(boolean events) {
        return new ShareSettings() {
            @Override public String getBackend() { return SyncthingShareBackend.NAME; }
            @Override public Duration getOfferInterval() { return Duration.ofMinutes(1); }
            @Override public Duration getRescanInterval() { return Duration.ofMinutes(1); }
            @Override public boolean isEvents() { return events; }
            @Override public Duration getDebounce() { return Duration.ofMillis(20); }
            @Override public long getMaxTrophyBytes() { return 65536; }
        };
    }

    @Override public String getUrl() { return url; }
    @Override public String getApiKey() { return apiKey; }
    @Override public Path getApiKeyFile() { return null; }
    @Override public Path getRoot() { return root; }
    @Override public List<String> getDeviceAllow() { return allow; }
    @Override public List<String> getDeviceDeny() { return deny; }
    @Override public Duration getEventTimeout() { return Duration.ofSeconds(5); }
    @Override public Duration getCallTimeout() { return Duration.ofSeconds(5); }

    @Override
    public Reconnect getReconnect() {
        return new Reconnect() {
            @Override public Duration getInitialDelay() { return Duration.ofMillis(100); }
            @Override public Duration getMaxDelay() { return Duration.ofMillis(500); }
        };
    }
}
