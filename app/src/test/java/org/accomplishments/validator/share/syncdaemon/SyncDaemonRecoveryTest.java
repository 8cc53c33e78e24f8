package org.accomplishments.validator.share.syncdaemon;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.share.ShareState;
import org.accomplishments.validator.validation.PipelineScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signals that never arrive and a daemon that dies mid-run: the timers (one second here) and the reconnect make sure
 * no trophy is lost, and {@code /health} and {@code /api/status} say what is going on meanwhile.
 */
@MicronautTest(transactional = false)
class SyncDaemonRecoveryTest extends PipelineScenario {
    private final TestBus bus = new TestBus();
    private TestSyncDaemon daemon;

    @Inject
    @Client("/")
    HttpClient http;

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of("ok", "exit 0", "second", "exit 0");
    }

    @Override
    protected Map<String, String> extraProperties() {
        daemon = new TestSyncDaemon(bus.address(), dataDir);
        return new HashMap<>(SyncDaemonScenariosTest.syncDaemonProperties(bus));
    }

    @AfterAll
    void stopDaemonAndBus() {
        daemon.close();
        bus.close();
    }

    private org.accomplishments.validator.share.Share awaitAccepted(String id) {
        return await(() -> registry.find(id).filter(s -> s.state() == ShareState.ACCEPTED), Duration.ofSeconds(20),
                "share " + id + " accepted");
    }

    private void deliver(String id, String path, String text) {
        daemon.control().deliver(id, path, text.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.toBlocking().exchange(HttpRequest.GET(path).bearerAuth("test-token"), String.class);
        } catch (HttpClientResponseException e) {
            return HttpResponse.<String>status(e.getStatus()).body(e.getResponse().getBody(String.class).orElse(""));
        }
    }

    @Test
    void signalsMissedUnderLoadAreRecoveredByTheTimers() {
        daemon.control().setSignals(false);
        try {
            String id = daemon.control().offer("judy", "Judy", "judy Trophies Folder");
            org.accomplishments.validator.share.Share share = awaitAccepted(id); // no NewShare: found by the offer timer

            deliver(id, ".extrainformation/email", "judy@example.org\n");
            deliver(id, COLLECTION + "/ok.trophy", trophyText("ok", "judy@example.org"));

            // no DownloadFinished: found by the rescan timer
            awaitFile(share.folder().resolve(COLLECTION + "/ok.trophy.asc"), Duration.ofSeconds(15));
        } finally {
            daemon.control().setSignals(true);
        }
    }

    @Test
    void aDaemonThatDiesMidRunLosesNoTrophyAndItsAbsenceIsReported() {
        String id = daemon.control().offer("ken", "Ken", "ken Trophies Folder");
        org.accomplishments.validator.share.Share share = awaitAccepted(id);
        deliver(id, ".extrainformation/email", "ken@example.org\n");
        deliver(id, COLLECTION + "/ok.trophy", trophyText("ok", "ken@example.org"));
        // The daemon downloads one more file and dies before anyone hears of it.
        daemon.control().setSignals(false);
        deliver(id, COLLECTION + "/second.trophy", trophyText("second", "ken@example.org"));
        daemon.kill();

        HttpResponse<String> health = await(() -> Optional.of(get("/health")).filter(r -> r.code() == 503),
                Duration.ofSeconds(10), "/health DOWN while the daemon is gone");
        // Which sentence depends on the moment: it left the bus, then no bus activation could start it again.
        assertTrue(health.body().contains("left the bus") || health.body().contains("not on the bus")
                || health.body().contains("not running and the bus cannot start it"), health.body());
        String status = get("/api/status").body();
        assertTrue(status.contains("\"up\":false"), status);

        daemon.start(); // same state: the share is still accepted and subscribed there
        await(() -> Optional.of(get("/health")).filter(r -> r.code() == 200), Duration.ofSeconds(10),
                "/health UP again");
        awaitFile(share.folder().resolve(COLLECTION + "/ok.trophy.asc"), Duration.ofSeconds(15));
        awaitFile(share.folder().resolve(COLLECTION + "/second.trophy.asc"), Duration.ofSeconds(15));
        assertTrue(get("/api/status").body().contains("\"up\":true"));
    }
}
