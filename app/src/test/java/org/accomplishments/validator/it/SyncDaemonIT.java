package org.accomplishments.validator.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.accomplishments.validator.share.syncdaemon.SyncDaemonControl;
import org.accomplishments.validator.share.syncdaemon.TestBus;
import org.accomplishments.validator.share.syncdaemon.TestSyncDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged jar as an operator runs it behind a sync daemon: only {@code validator.shares.backend=syncdaemon}
 * and the session bus from {@code DBUS_SESSION_BUS_ADDRESS}. The example shares arrive through the daemon, the
 * verdicts are written into the daemon's folders, and the bus going away and coming back shows in {@code /health}.
 */
@Timeout(180)
class SyncDaemonIT {
    private static final String ALICE = "alice-trophies (Alice, 7f3c9a52-2f0e-4d5e-9c1b-2a3f4e5d6c7b)";

    @TempDir
    Path temp;

    @Test
    void theJarBehindASyncDaemonSignsWhatArrivesAndReportsTheBusComingAndGoing() throws Exception {
        Path examples = ValidatorProcess.repo().resolve("examples");
        try (TestBus bus = new TestBus();
             TestSyncDaemon daemon = new TestSyncDaemon(bus.address(), temp.resolve("daemon"));
             ValidatorProcess service = ValidatorProcess.start(temp.resolve("data"),
                     Map.of("validator.shares.backend", "syncdaemon",
                             "validator.collections.path", examples.resolve("collections").toString()),
                     Map.of("DBUS_SESSION_BUS_ADDRESS", bus.address()), temp.resolve("service.log"))) {
            service.awaitHealthUp(Duration.ofSeconds(90));
            JsonNode backend = service.getJson("/api/status").path("backend");
            assertEquals("syncdaemon", backend.path("name").asText());
            assertTrue(backend.path("up").asBoolean(), backend.toString());

            SyncDaemonControl control = daemon.control();
            String id = control.offer("alice", "Alice", "alice-trophies");
            Path source = examples.resolve("shares").resolve(ALICE);
            await(() -> service.getText("/api/shares?state=accepted").contains(id), "alice's share accepted", service);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(source)) {
                files = walk.filter(Files::isRegularFile).sorted().toList(); // .extrainformation first
            }
            for (Path file : files) {
                control.deliver(id, source.relativize(file).toString(), Files.readAllBytes(file));
            }
            Path folder = daemon.sharesDir().resolve("alice-trophies (Alice, " + id + ")");
            await(() -> Files.exists(folder.resolve("example/registered-email.trophy.asc")),
                    "registered-email signed in the daemon's folder", service);

            daemon.stop();
            bus.stop();
            await(() -> service.get("/health").statusCode() == 503, "/health DOWN without the bus", service);
            assertTrue(service.get("/health").body().contains("next attempt"), service.get("/health").body());
            assertTrue(service.get("/api/trophies").statusCode() == 200, "the API keeps serving");

            bus.start();
            daemon.start();
            service.awaitHealthUp(Duration.ofSeconds(30));
        }
    }

    private interface Probe {
        boolean holds() throws Exception;
    }

    private static void await(Probe probe, String what, ValidatorProcess service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!probe.holds()) {
            if (System.nanoTime() > deadline) {
                fail("timed out: " + what + "\n" + service.logTail());
            }
            Thread.sleep(50);
        }
    }
}
