package org.accomplishments.validator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Test;

/**
 * Target 3: latency from a {@code .trophy} appearing in a share (renamed into place) to its {@code .trophy.asc},
 * at light load: one trophy every {@code INTERVAL_MS}, {@code SAMPLES} samples after {@code WARM_UP} unmeasured
 * ones. A polling thread in the test watches for each {@code .asc} (about 1 ms resolution). Targets: p50 < 200 ms,
 * p99 < 1 s. Baseline in the same run: the original server's per-trophy work (script process, then gpg), which
 * is a floor for it: its cron job ran once a minute, adding 0 to 60 s on top.
 */
class LatencyBenchmark {
    private static final int SAMPLES = Integer.getInteger("bench.latency.samples", 200);
    private static final int WARM_UP = 20;
    private static final long INTERVAL_MS = 150;
    private static final int BASELINE = 50;

    @Test
    void signsATrophyWithinTwoHundredMillisecondsAtLightLoad() throws Exception {
        Path tmp = Bench.tempDir("bench-latency");
        ServiceProcess service = null;
        int total = WARM_UP + SAMPLES;
        try (OriginalServer original = OriginalServer.create()) {
            Path collections = Bench.collection(tmp.resolve("collections"), "bench", total,
                    ThroughputBenchmark.TRIVIAL_SCRIPT);
            Bench.info("latency", "start, " + Bench.load());

            // ---- baseline: per-trophy processing time of the original loop ----
            Path baselineDir = Files.createDirectories(tmp.resolve("baseline/share/bench"));
            List<Double> baseline = new ArrayList<>();
            for (int i = 0; i < BASELINE; i++) {
                Path trophy = baselineDir.resolve("t" + i + ".trophy");
                Files.writeString(trophy, Bench.trophy("bench", "t" + i, true));
                long t0 = System.nanoTime();
                original.validate(collections.resolve("scripts/bench/t" + i + ".sh"), trophy);
                baseline.add((System.nanoTime() - t0) / 1e6);
            }

            // ---- ours ----
            Path data = tmp.resolve("data");
            Path share = data.resolve("shares").resolve(Bench.shareDirName(1));
            Path dir = Files.createDirectories(share.resolve("bench"));
            Path staging = Files.createDirectories(tmp.resolve("staging"));
            service = ServiceProcess.start(data, collections, Map.of());
            service.awaitHealthy(Duration.ofSeconds(90));
            long acceptDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ServiceProcess.statusCount(service.get("/api/status"), "accepted") < 1
                    && System.nanoTime() < acceptDeadline) {
                ServiceProcess.sleep(100);
            }

            AtomicLongArray dropped = new AtomicLongArray(total);
            AtomicLongArray seen = new AtomicLongArray(total);
            Thread poller = new Thread(() -> {
                int next = 0; // every sample before this one has been seen
                while (next < total && !Thread.currentThread().isInterrupted()) {
                    for (int i = next; i < total && dropped.get(i) != 0; i++) {
                        if (seen.get(i) == 0 && Files.exists(dir.resolve("t" + i + ".trophy.asc"))) {
                            seen.set(i, System.nanoTime());
                        }
                    }
                    while (next < total && seen.get(next) != 0) {
                        next++;
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "asc-poller");
            poller.setDaemon(true);
            poller.start();

            for (int i = 0; i < total; i++) {
                Path staged = staging.resolve("t" + i + ".trophy");
                Files.writeString(staged, Bench.trophy("bench", "t" + i, true));
                long t = System.nanoTime();
                Files.move(staged, dir.resolve("t" + i + ".trophy"), StandardCopyOption.ATOMIC_MOVE);
                dropped.set(i, t);
                Thread.sleep(INTERVAL_MS);
            }
            poller.join(Duration.ofSeconds(30).toMillis());
            poller.interrupt();

            List<Double> ms = new ArrayList<>();
            List<Double> warm = new ArrayList<>();
            int missing = 0;
            for (int i = 0; i < total; i++) {
                if (seen.get(i) == 0) {
                    missing++;
                    continue;
                }
                (i < WARM_UP ? warm : ms).add((seen.get(i) - dropped.get(i)) / 1e6);
            }
            int rejected = Bench.countFiles(data.resolve("shares"), ".trophy.rejected");
            Bench.info("latency", String.format("%d samples every %d ms (+%d warm-up: p50 %.0f ms, max %.0f ms); "
                            + "%d never signed within 30 s, %d rejected; %s", ms.size(), INTERVAL_MS, WARM_UP,
                    warm.isEmpty() ? Double.NaN : Bench.percentile(warm, 50),
                    warm.isEmpty() ? Double.NaN : Bench.percentile(warm, 100), missing, rejected, Bench.load()));
            assertEquals(0, missing, "every trophy must be signed");
            assertEquals(0, rejected, "no trophy may be rejected");
            double p50 = Bench.percentile(ms, 50);
            double p99 = Bench.percentile(ms, 99);
            Bench.report("latency p50 (drop to .asc)", p50, "ms", Bench.percentile(baseline, 50), "< 200 ms",
                    p50 < 200);
            Bench.report("latency p90 (drop to .asc)", Bench.percentile(ms, 90), "ms",
                    Bench.percentile(baseline, 90), null, null);
            Bench.report("latency p99 (drop to .asc)", p99, "ms", Bench.percentile(baseline, 99), "< 1000 ms",
                    p99 < 1000);
            Bench.report("latency max (drop to .asc)", Bench.percentile(ms, 100), "ms",
                    Bench.percentile(baseline, 100), null, null);
            Bench.info("latency", "baseline = the original loop's own work per trophy (script + gpg), without "
                    + "its cron period of 60 s; ratio < 1 means faster than that floor");
        } finally {
            if (service != null) {
                service.close();
                Bench.keepLog(service, "latency");
            }
            Bench.deleteTree(tmp);
        }
    }
}
