package org.accomplishments.validator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Logic scripts that wait on a web API, stood in for by {@code sleep 0.5}: {@code SHARES} shares of
 * {@code PER_SHARE} trophies renamed into a running service at default settings; the clock runs until every
 * {@code .trophy.asc} exists, and the service's peak RSS (VmHWM) is read at the end. Baseline, in the same run: the
 * same service with the landed fixed limits ({@code workers=8}, {@code script-concurrency=4}) over
 * {@code BASELINE_SHARES} shares. Targets: at least 60 trophies/s, peak RSS under 400 MB.
 */
class IoBoundScriptBenchmark {
    private static final int SHARES = Integer.getInteger("bench.io.shares", 60);
    private static final int BASELINE_SHARES = Integer.getInteger("bench.io.baseline-shares", 12);
    private static final int PER_SHARE = 10;
    static final String WAITING_SCRIPT = "#!/bin/sh\nsleep 0.5\nexit 0\n";

    @Test
    void keepsDozensOfWaitingScriptsInFlightAtDefaultSettings() throws Exception {
        Path tmp = Bench.tempDir("bench-io");
        try {
            Path collections = Bench.collection(tmp.resolve("collections"), "bench", PER_SHARE, WAITING_SCRIPT);
            Bench.info("io-bound", "start, " + Bench.load());
            Result baseline = run(tmp.resolve("baseline"), collections, BASELINE_SHARES,
                    Map.of("validator.validation.workers", "8", "validator.validation.script-concurrency", "4"));
            Result ours = run(tmp.resolve("ours"), collections, SHARES, Map.of());
            Bench.report("sleep 0.5 scripts, default settings", ours.rate, "trophies/s", baseline.rate,
                    ">= 60/s", ours.rate >= 60);
            Bench.report("sleep 0.5 scripts, peak RSS", ours.peakRssMb, "MB", baseline.peakRssMb, "< 400 MB",
                    ours.peakRssMb < 400);
            Bench.report("sleep 0.5 scripts, service CPU per trophy", ours.cpuMsPerTrophy, "ms",
                    baseline.cpuMsPerTrophy, null, null);
        } finally {
            Bench.deleteTree(tmp);
        }
    }

    private record Result(double rate, double peakRssMb, double cpuMsPerTrophy) {
    }

    private static Result run(Path dir, Path collections, int shares, Map<String, String> properties)
            throws Exception {
        String label = properties.isEmpty() ? "defaults" : "landed limits " + properties;
        Path data = dir.resolve("data");
        Path sharesRoot = Files.createDirectories(data.resolve("shares"));
        Path staging = Files.createDirectories(dir.resolve("staging"));
        List<Path> prepared = new ArrayList<>();
        for (int s = 0; s < shares; s++) {
            // Built in staging first, so the timed part is only the renames (a sync tool finishing).
            Path bench = Files.createDirectories(staging.resolve(Bench.shareDirName(s)).resolve("bench"));
            for (int t = 0; t < PER_SHARE; t++) {
                Files.writeString(bench.resolve("t" + t + ".trophy"), Bench.trophy("bench", "t" + t, true));
            }
            prepared.add(bench.getParent());
        }
        ServiceProcess service = ServiceProcess.start(data, collections, properties);
        try {
            double up = service.awaitHealthy(Duration.ofSeconds(90));
            Bench.info("io-bound", String.format("%s: service up in %.2f s, %s", label, up, service.memory()));
            ServiceProcess.sleep(1000); // let the start-up catch-up (empty) finish
            int total = shares * PER_SHARE;
            double cpu0 = service.cpuSeconds();
            long t0 = System.nanoTime();
            for (Path share : prepared) {
                Files.move(share, sharesRoot.resolve(share.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
            long deadline = t0 + Duration.ofMinutes(5).toNanos();
            int signed = 0;
            int threads = 0;
            while (System.nanoTime() < deadline) {
                signed = Bench.countFiles(sharesRoot, ".trophy.asc");
                threads = Math.max(threads, service.threads());
                if (signed >= total) {
                    break;
                }
                ServiceProcess.sleep(50);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = service.cpuSeconds() - cpu0;
            double hwm = service.memoryMb("VmHWM");
            int rejected = Bench.countFiles(sharesRoot, ".trophy.rejected");
            Bench.info("io-bound", String.format("%s: %d of %d signed in %.2f s = %.1f/s; VmHWM %.0f MB, %s; "
                            + "at most %d threads; CPU %.2f ms per trophy; %d rejected; %s", label, signed, total,
                    seconds, signed / seconds, hwm, service.memory(), threads, cpu * 1000 / Math.max(1, signed),
                    rejected, Bench.load()));
            assertEquals(0, rejected, "no trophy may be rejected");
            assertEquals(total, signed, "every trophy must be signed within 5 minutes");
            return new Result(signed / seconds, hwm, cpu * 1000 / Math.max(1, signed));
        } finally {
            service.close();
            Bench.keepLog(service, "io-bound-" + (properties.isEmpty() ? "defaults" : "landed"));
        }
    }
}
