package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No crash at all: rescans (the catch-up scan after an orderly restart, the documented
 * {@code POST /api/shares/rescan}, the scans file events trigger) run while the pipeline signs and rejects
 * trophies of the same shares. A rescan reconciles the
 * ledger with the disk ("a verdict file that disappeared is written again"); no verdict file ever disappears
 * here, so no trophy may be seen as missing its verdict, moved back, and signed/recognised or rejected again.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RescanWhileSigningIT {

    private static final int SHARES = Integer.getInteger("it.rescan.shares", 10);
    private static final int PER_SHARE = Integer.getInteger("it.rescan.trophies", 100);
    private static final String TOKEN = ValidatorProcess.TOKEN;

    @TempDir
    Path temp;

    private ValidatorProcess service;

    @AfterEach
    void stopService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void rescansDuringSigningNeverMistakeAFreshVerdictForAMissingOne() throws Exception {
        long seed = Long.getLong("it.rescan.seed", System.nanoTime());
        Random random = new Random(seed);
        Path collections = temp.resolve("collections");
        CrashSafetyIT.writeCollection(collections, PER_SHARE);
        Path dataDir = temp.resolve("var");
        Path shares = dataDir.resolve("shares");
        Path staging = Files.createDirectories(temp.resolve("staging"));
        List<CrashSafetyIT.Expected> expected = new ArrayList<>();
        Map<String, byte[]> userFiles = new TreeMap<>();
        List<Path> prepared = new ArrayList<>();
        for (int i = 0; i < SHARES; i++) {
            prepared.add(CrashSafetyIT.prepareShare(staging, i, PER_SHARE, random, 10, expected, userFiles));
        }
        Map<String, String> properties = Map.of("validator.collections.path", collections.toString(),
                "validator.api.token", TOKEN);
        Path log = temp.resolve("service.log");
        service = ValidatorProcess.start(dataDir, properties, log);
        service.awaitHealthUp(Duration.ofSeconds(120));
        for (Path share : prepared) {
            CrashSafetyIT.moveIn(share, shares);
        }
        System.out.printf("RescanWhileSigningIT: %d trophies in %d shares, seed %d%n", expected.size(), SHARES, seed);

        // An orderly restart once a fifth is decided: the catch-up scan reads every share again while the
        // pipeline carries on signing in the same shares.
        long firstDeadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (decided(service.getJson("/api/status").path("trophies")) < expected.size() / 5) {
            assertTrue(System.nanoTime() < firstDeadline, "no progress\n" + service.logTail());
            Thread.sleep(100);
        }
        service.stop();
        service.close();
        service = ValidatorProcess.start(dataDir, properties, log);
        service.awaitHealthUp(Duration.ofSeconds(120));

        long started = System.nanoTime();
        long deadline = started + Duration.ofMinutes(5).toNanos();
        int rescans = 0;
        while (true) {
            HttpResponse<String> rescan = service.post("/api/shares/rescan", TOKEN);
            assertEquals(200, rescan.statusCode(), rescan.body());
            rescans++;
            JsonNode t = service.getJson("/api/status").path("trophies");
            long open = t.path("pending").asLong() + t.path("waiting").asLong() + t.path("signing").asLong()
                    + t.path("rejecting").asLong();
            if (open == 0 && t.path("signed").asLong() + t.path("rejected").asLong() == expected.size()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                fail("not finished within 5 min: " + t + "\n" + service.logTail());
            }
            Thread.sleep(50);
        }
        System.out.printf("RescanWhileSigningIT: all decided in %.1f s with %d rescans requested%n",
                (System.nanoTime() - started) / 1e9, rescans);

        List<String> problems = new ArrayList<>();
        int rows = 0;
        for (int page = 0; ; page++) {
            JsonNode items = service.getJson("/api/trophies?size=500&page=" + page).path("items");
            for (JsonNode row : items) {
                rows++;
                JsonNode detail = service.getJson("/api/trophies/" + row.path("id").asLong());
                Map<String, Integer> kinds = new TreeMap<>();
                detail.path("history").forEach(e -> kinds.merge(e.path("kind").asText(), 1, Integer::sum));
                int verdicts = kinds.getOrDefault("signed", 0) + kinds.getOrDefault("recognised", 0)
                        + kinds.getOrDefault("rejected", 0);
                if (verdicts != 1 || kinds.containsKey("verdict-file-missing")) {
                    problems.add("trophy " + row.path("id").asLong() + " (" + row.path("shareId").asText() + " "
                            + row.path("path").asText() + "): " + kinds + CrashSafetyIT.timeline(detail));
                }
            }
            if (items.size() < 500) {
                break;
            }
        }
        System.out.printf("RescanWhileSigningIT: %d rows, %d with a spurious verdict-file-missing or a second verdict%n",
                rows, problems.size());
        assertEquals(expected.size(), rows);
        assertEquals(List.of(), problems.subList(0, Math.min(5, problems.size())), problems.size()
                + " trophies were taken for missing their verdict file although it was never removed");
        TryItIT.assertUserFilesUnchanged(shares, userFiles);
        for (CrashSafetyIT.Expected e : expected) {
            assertTrue(Files.exists(shares.resolve(e.file() + (e.mismatch() ? ".rejected" : ".asc"))), e.file());
        }
    }

    private static long decided(JsonNode trophies) {
        return trophies.path("signed").asLong() + trophies.path("rejected").asLong();
    }
}
