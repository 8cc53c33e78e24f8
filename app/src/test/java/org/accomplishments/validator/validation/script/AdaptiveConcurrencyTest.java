package org.accomplishments.validator.validation.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's in-flight limit follows what the scripts do, between the cores and the configured ceiling. */
class AdaptiveConcurrencyTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    @TempDir
    Path tmp;
    Path scripts;
    Path trophy;

    @BeforeEach
    void layout() throws IOException {
        scripts = Files.createDirectories(tmp.resolve("scripts"));
        trophy = Files.createDirectories(tmp.resolve("share/c")).resolve("t.trophy");
        Files.writeString(trophy, "[trophy]\n");
    }

    private LogicScriptRunner runner(int ceiling) {
        return new LogicScriptRunner(ScriptSettings.defaults(tmp.resolve("work"), tmp.resolve("python"))
                .withTimeout(Duration.ofSeconds(20)).withMaxConcurrent(ceiling));
    }

    @Test
    void scriptsThatMostlyWaitAreRunManyAtOnceButNeverMoreThanTheCeiling() throws Exception {
        int ceiling = 24;
        LogicScriptRunner runner = runner(ceiling);
        Path live = Files.createDirectories(tmp.resolve("live"));
        // Each run marks itself live while it waits, so the test can see how many overlap.
        Path script = Scripts.sh(scripts, "touch \"$ACCOM_INFO_LIVE/$$\"; sleep 0.3; rm \"$ACCOM_INFO_LIVE/$$\"");
        assertEquals(Math.min(ceiling, CORES + 1), runner.concurrencyLimit(), "starts at cores + 1");

        ExecutorService callers = Executors.newFixedThreadPool(40);
        List<Future<ScriptRun>> runs = new ArrayList<>();
        int mostLive = 0;
        try {
            for (int i = 0; i < 240; i++) {
                runs.add(callers.submit(() -> runner.run(Scripts.invocation(script, trophy,
                        Map.of("live", live.toString())))));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (runs.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() < deadline) {
                try (var s = Files.list(live)) {
                    mostLive = Math.max(mostLive, (int) s.count());
                }
                Thread.sleep(20);
            }
            for (Future<ScriptRun> f : runs) {
                assertEquals(new ScriptOutcome.Exited(0), f.get().outcome());
            }
        } finally {
            callers.shutdownNow();
        }
        assertTrue(mostLive > CORES + 1, "at most " + mostLive + " scripts waited at once");
        assertTrue(mostLive <= ceiling, mostLive + " scripts ran at once, above the ceiling of " + ceiling);
        assertTrue(runner.concurrencyLimit() > CORES + 1, "limit " + runner.concurrencyLimit());
    }

    @Test
    void aCeilingBelowTheCoreCountIsTheLimitFromTheStart() {
        assertEquals(1, runner(1).concurrencyLimit());
    }
}
