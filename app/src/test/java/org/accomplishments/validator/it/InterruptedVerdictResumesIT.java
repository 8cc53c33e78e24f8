package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A verdict whose writing a crash interrupted (the row is {@code signing} or {@code rejecting}) is finished soon
 * after the restart: README "A crash at any point resumes from the ledger", {@code TrophyState.SIGNING} "A crash
 * here resumes by writing (or recognising) the .asc", and the start of a single node releases every lease "so
 * half-done writes resume at once".
 *
 * <p>The service is killed a few times while it signs and rejects (half the trophies mismatch, so both writes
 * are frequent); then a final run finishes. From the ledger's histories: every trophy whose {@code accomplished}
 * or {@code refused} event came before a crash and whose verdict came in the final run must have that verdict
 * within {@link #RESUME_BOUND} of {@code /health} UP (three process-interval ticks, the timer that runs due work
 * whatever happens).
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class InterruptedVerdictResumesIT {

    private static final int SHARES = Integer.getInteger("it.resume.shares", 60);
    private static final int KILLS = Integer.getInteger("it.resume.kills", 4);
    private static final Duration RESUME_BOUND = Duration.ofSeconds(45);
    private static final Set<String> VERDICTS = Set.of("signed", "recognised", "rejected");

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
    void aVerdictInterruptedByACrashIsWrittenSoonAfterTheRestart() throws Exception {
        long seed = Long.getLong("it.resume.seed", System.nanoTime());
        Random random = new Random(seed);
        Path collections = temp.resolve("collections");
        CrashSafetyIT.writeCollection(collections);
        Path dataDir = temp.resolve("var");
        Path shares = Files.createDirectories(dataDir.resolve("shares"));
        Path staging = Files.createDirectories(temp.resolve("staging"));
        List<CrashSafetyIT.Expected> expected = new ArrayList<>();
        Map<String, byte[]> userFiles = new TreeMap<>();
        for (int i = 0; i < SHARES; i++) {
            CrashSafetyIT.moveIn(CrashSafetyIT.prepareShare(staging, i, random, 50, expected, userFiles), shares);
        }
        Map<String, String> properties = Map.of("validator.collections.path", collections.toString());
        Path log = temp.resolve("service.log");
        System.out.printf("InterruptedVerdictResumesIT: %d trophies, %d kills, seed %d%n", expected.size(), KILLS, seed);

        List<Instant> launches = new ArrayList<>();
        for (int run = 0; run < KILLS; run++) {
            launches.add(Instant.now());
            service = ValidatorProcess.start(dataDir, properties, log);
            service.awaitHealthUp(Duration.ofSeconds(120));
            Thread.sleep(1000 + random.nextInt(3000));
            assertTrue(service.isAlive(), service.logTail());
            service.kill();
            service.close();
            service = null;
        }
        Instant finalLaunch = Instant.now();
        service = ValidatorProcess.start(dataDir, properties, log);
        service.awaitHealthUp(Duration.ofSeconds(120));
        Instant finalUp = Instant.now();

        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        JsonNode status;
        while (true) {
            status = service.getJson("/api/status");
            JsonNode t = status.path("trophies");
            long open = t.path("pending").asLong() + t.path("waiting").asLong() + t.path("signing").asLong()
                    + t.path("rejecting").asLong();
            if (open == 0 && t.path("signed").asLong() + t.path("rejected").asLong() == expected.size()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                fail("the final run did not finish within 6 min: " + status + "\n" + service.logTail());
            }
            Thread.sleep(1000);
        }
        System.out.printf("InterruptedVerdictResumesIT: final run finished %.1f s after /health UP%n",
                Duration.between(finalUp, Instant.now()).toMillis() / 1000.0);

        // Which verdicts did a crash interrupt, and how long after the final start were they finished?
        List<String> late = new ArrayList<>();
        int interruptedInFinal = 0;
        int interruptedEarlier = 0;
        for (int page = 0; ; page++) {
            JsonNode rows = service.getJson("/api/trophies?size=500&page=" + page).path("items");
            for (JsonNode row : rows) {
                JsonNode detail = service.getJson("/api/trophies/" + row.path("id").asLong());
                Instant decided = null;
                Instant verdictAt = null;
                for (JsonNode event : detail.path("history")) {
                    String kind = event.path("kind").asText();
                    if (kind.equals("accomplished") || kind.equals("refused")) {
                        decided = instant(event.path("at"));
                    } else if (VERDICTS.contains(kind)) {
                        verdictAt = instant(event.path("at"));
                    }
                }
                if (decided == null || verdictAt == null) {
                    continue;
                }
                Instant from = decided;
                Instant to = verdictAt;
                boolean crashedBetween = launches.stream().anyMatch(l -> l.isAfter(from) && l.isBefore(to))
                        || (finalLaunch.isAfter(from) && finalLaunch.isBefore(to));
                if (!crashedBetween) {
                    continue;
                }
                if (verdictAt.isBefore(finalLaunch)) {
                    interruptedEarlier++;
                    continue;
                }
                interruptedInFinal++;
                Duration delay = Duration.between(finalUp, verdictAt);
                System.out.printf("InterruptedVerdictResumesIT: trophy %d %s: decided %s, crash, verdict %s = %.1f s "
                                + "after /health UP of the final run%n", row.path("id").asLong(),
                        row.path("path").asText(), decided, verdictAt, delay.toMillis() / 1000.0);
                if (delay.compareTo(RESUME_BOUND) > 0) {
                    late.add("trophy " + row.path("id").asLong() + " (" + row.path("shareId").asText() + " "
                            + row.path("path").asText() + "): '" + (detail.path("history").toString().contains(
                            "\"refused\"") ? "rejecting" : "signing") + "' since " + decided + ", verdict only at "
                            + verdictAt + ", " + delay.toSeconds() + " s after the restart was UP; history: "
                            + detail.path("history"));
                }
            }
            if (rows.size() < 500) {
                break;
            }
        }
        System.out.printf("InterruptedVerdictResumesIT: %d verdicts interrupted by a crash and finished in the final "
                + "run, %d finished in an earlier run, %d later than %d s%n", interruptedInFinal, interruptedEarlier,
                late.size(), RESUME_BOUND.toSeconds());
        Assumptions.assumeTrue(interruptedInFinal > 0, "no kill happened to interrupt a verdict that the final run "
                + "finished (seed " + seed + "); nothing to judge this time");
        assertEquals(List.of(), late, "verdicts interrupted by a crash waited after the restart instead of "
                + "resuming at once");
        TryItIT.assertUserFilesUnchanged(shares, userFiles);
    }

    private static Instant instant(JsonNode at) {
        if (at.isNumber()) {
            double value = at.asDouble();
            return value > 1e12 ? Instant.ofEpochMilli((long) value)
                    : Instant.ofEpochSecond((long) value, (long) ((value - Math.floor(value)) * 1e9));
        }
        return Instant.parse(at.asText());
    }
}
