package org.accomplishments.validator.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Issue 12: wall clock from starting the README's run command ({@code java @app/jvm.options
 * -Dvalidator.collections.path=examples/collections -jar app/target/accomplishments-validator.jar}, in the
 * repository root, with only a data directory and a free port added) to the first {@code GET /health} UP, against
 * 2.5 s. {@code RUNS} starts on fresh data directories (key generation, migrations) and {@code RUNS} restarts of
 * the last one, alternating with the baseline: the same command without the AppCDS archive that {@code mvn package}
 * makes (the JDK's own base archive named after {@code @app/jvm.options}, as a checkout without the archive starts).
 */
class StartupBenchmark {
    private static final int RUNS = Integer.getInteger("bench.startup.runs", 5);
    private static final double TARGET_SECONDS = 2.5;

    @Test
    void readmeCommandIsUpWithinTwoAndAHalfSeconds() throws Exception {
        Path archive = Bench.repo().resolve("app/target/accomplishments-validator.jsa");
        assertTrue(Files.isRegularFile(archive), "no class archive " + archive + ": mvn package makes it");
        List<String> withoutArchive = List.of("-XX:SharedArchiveFile="
                + Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa"));
        Path tmp = Bench.tempDir("bench-startup");
        try {
            Bench.info("startup-time", "start, " + Bench.load());
            List<Double> fresh = new ArrayList<>();
            List<Double> freshBase = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                fresh.add(upOnce(tmp.resolve("fresh-" + run), List.of()));
                freshBase.add(upOnce(tmp.resolve("fresh-base-" + run), withoutArchive));
            }
            List<Double> restart = new ArrayList<>();
            List<Double> restartBase = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                restart.add(upOnce(tmp.resolve("fresh-0"), List.of()));
                restartBase.add(upOnce(tmp.resolve("fresh-base-0"), withoutArchive));
            }
            Bench.info("startup-time", "fresh " + fresh + " s, without the archive " + freshBase + " s; restarts "
                    + restart + " s, without the archive " + restartBase + " s; " + Bench.load());
            report("fresh data dir", fresh, freshBase);
            report("restart", restart, restartBase);
        } finally {
            Bench.deleteTree(tmp);
        }
    }

    private static void report(String what, List<Double> ours, List<Double> baseline) {
        double median = Bench.percentile(ours, 50);
        Bench.report("README command start to /health UP, " + what + " (median of " + ours.size() + ", max "
                        + Bench.fmt(ours.stream().mapToDouble(Double::doubleValue).max().orElse(0)) + ")", median, "s",
                Bench.percentile(baseline, 50), "< " + TARGET_SECONDS + " s", median < TARGET_SECONDS);
    }

    private static double upOnce(Path data, List<String> overrides) {
        ServiceProcess service = ServiceProcess.startAsReadme(data, overrides);
        try {
            double seconds = service.awaitHealthy(Duration.ofSeconds(120));
            return Math.round(seconds * 100) / 100.0;
        } finally {
            service.close();
        }
    }
}
