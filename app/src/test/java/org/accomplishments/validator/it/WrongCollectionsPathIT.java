package org.accomplishments.validator.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged service started with a mistyped {@code validator.collections.path}: it writes no verdict into the
 * users' shares and its /health says DEGRADED; restarted with the setting corrected, it signs them.
 */
class WrongCollectionsPathIT {
    @TempDir
    Path temp;
    private ValidatorProcess service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aMistypedPathValidatesNothingAndTheCorrectedOneSignsEverything() throws Exception {
        Path collections = temp.resolve("collections");
        CrashSafetyIT.writeCollection(collections, 1);
        Path dataDir = temp.resolve("var");
        Path share = Files.createDirectories(dataDir.resolve("shares/zoe-trophies (Zoe, 4d1c8a6e-0b5e-4e8e-9d51-0c7c2b1f9a01)"));
        Files.createDirectories(share.resolve(".extrainformation"));
        Files.writeString(share.resolve(".extrainformation/email"), "zoe@example.org\n");
        Files.createDirectories(share.resolve("crash"));
        Files.writeString(share.resolve("crash/task-0.trophy"), "[trophy]\nversion = 0.2\nid = crash/task-0\n"
                + "date-accomplished = 2026-11-21 10:00\nneeds-signing = true\nneeds-information = email\n"
                + "email = zoe@example.org\n");
        Path log = temp.resolve("service.log");

        service = ValidatorProcess.start(dataDir, Map.of("validator.collections.path", temp.resolve("colections").toString(),
                "validator.validation.process-interval", "1s"), log);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            try {
                status = service.getJson("/api/status");
                if (status.path("trophies").path("pending").asLong() == 1) {
                    break;
                }
            } catch (Exception e) {
                status = null;
            }
            Thread.sleep(200);
        }
        if (status == null || status.path("trophies").path("pending").asLong() != 1) {
            fail("the trophy was not discovered: " + status + "\n" + service.logTail());
        }
        Thread.sleep(3000);
        try (Stream<Path> files = Files.walk(share)) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".asc") || p.toString().endsWith(".rejected")).count(),
                    "no verdict while nothing is loaded");
        }
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + service.port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, anonymous.statusCode());
        assertEquals("{\"status\":\"DEGRADED\"}", anonymous.body().replace(" ", ""));
        assertTrue(service.getJson("/health").toString().contains("colections"), "operators see the path it searched");
        service.stop();
        service.close();

        service = ValidatorProcess.start(dataDir, Map.of("validator.collections.path", collections.toString(),
                "validator.validation.process-interval", "1s"), log);
        service.awaitHealthUp(Duration.ofSeconds(120));
        Path asc = share.resolve("crash/task-0.trophy.asc");
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(asc) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(Files.exists(asc), "signed after the fix\n" + service.logTail());
        assertTrue(Files.notExists(share.resolve("crash/task-0.trophy.rejected")));
    }
}
