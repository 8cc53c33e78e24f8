package org.accomplishments.validator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Target 5: wall-clock time from {@code java -jar} to {@code GET /health} UP (fresh data directory: key
 * generation and migrations; and restarts on an existing one), and the resident memory (VmRSS, VmHWM) with a
 * backlog of {@code BACKLOG} trophies discovered and waiting (target < 300 MB). The backlog's logic scripts sleep
 * 30 s, so at most the few trophies in flight leave the queue while memory is read. The service runs with the
 * JVM's default options, as the README's run command starts it. Baseline for memory: the same service idle
 * with no shares.
 */
class StartupMemoryBenchmark {
    private static final int RUNS = 3;
    private static final int BACKLOG_SHARES = Integer.getInteger("bench.backlog.shares", 1_000);
    private static final int PER_SHARE = 100;

    @Test
    void startsInSecondsAndHoldsALargeBacklogInLittleMemory() throws Exception {
        Path tmp = Bench.tempDir("bench-start");
        ServiceProcess service = null;
        try {
            Path collections = Bench.collection(tmp.resolve("collections"), "slow", PER_SHARE,
                    "#!/bin/sh\nsleep 30\n");
            Bench.info("startup", "start, " + Bench.load());

            // ---- start to /health UP: fresh data directories, then restarts of the last one ----
            List<Double> fresh = new ArrayList<>();
            List<Double> restarts = new ArrayList<>();
            double idleRss = 0;
            Path data = null;
            for (int run = 0; run < RUNS; run++) {
                data = tmp.resolve("fresh-" + run);
                service = ServiceProcess.start(data, collections, Map.of());
                fresh.add(service.awaitHealthy(Duration.ofSeconds(120)));
                service.close();
                service = null;
            }
            for (int run = 0; run < RUNS; run++) {
                service = ServiceProcess.start(data, collections, Map.of());
                restarts.add(service.awaitHealthy(Duration.ofSeconds(120)));
                if (run == RUNS - 1) {
                    ServiceProcess.sleep(10_000);
                    idleRss = service.memoryMb("VmRSS");
                    Bench.info("startup", "idle, no shares: " + service.memory());
                }
                service.close();
                service = null;
            }
            Bench.info("startup", "fresh starts " + seconds(fresh) + "; restarts " + seconds(restarts) + "; "
                    + Bench.load());
            double medianFresh = Bench.percentile(fresh, 50);
            double medianRestart = Bench.percentile(restarts, 50);
            Bench.report("start to /health UP, fresh data dir (median of " + RUNS + ")", medianFresh, "s", null,
                    null, null);
            Bench.report("start to /health UP, restart (median of " + RUNS + ")", medianRestart, "s", null, null,
                    null);

            // ---- RSS with a backlog ----
            Path backlogData = tmp.resolve("backlog");
            Path sharesRoot = Files.createDirectories(backlogData.resolve("shares"));
            long c0 = System.nanoTime();
            for (int s = 0; s < BACKLOG_SHARES; s++) {
                Path coll = Files.createDirectories(sharesRoot.resolve(Bench.shareDirName(s)).resolve("slow"));
                for (int t = 0; t < PER_SHARE; t++) {
                    Files.writeString(coll.resolve("t" + t + ".trophy"), Bench.trophy("slow", "t" + t, true));
                }
            }
            int backlog = BACKLOG_SHARES * PER_SHARE;
            Bench.info("startup", String.format("created %d trophies in %d shares in %.1f s", backlog,
                    BACKLOG_SHARES, (System.nanoTime() - c0) / 1e9));
            service = ServiceProcess.start(backlogData, collections, Map.of());
            double upWithBacklog = service.awaitHealthy(Duration.ofSeconds(180));
            long d0 = System.nanoTime();
            long deadline = d0 + Duration.ofMinutes(8).toNanos();
            long known = 0;
            String status = "";
            double peakSeen = 0;
            while (System.nanoTime() < deadline) {
                status = service.get("/api/status");
                known = trophiesKnown(status);
                peakSeen = Math.max(peakSeen, service.memoryMb("VmRSS"));
                if (known >= backlog) {
                    break;
                }
                ServiceProcess.sleep(1000);
            }
            double discovery = (System.nanoTime() - d0) / 1e9;
            ServiceProcess.sleep(5000);
            status = service.get("/api/status");
            double rss = service.memoryMb("VmRSS");
            double hwm = service.memoryMb("VmHWM");
            Bench.info("startup", "backlog: " + service.memory() + String.format(", VmHWM %.0f MB", hwm));
            Bench.info("startup", String.format("with %d trophies on disk: /health UP after %.1f s; %d trophies in "
                            + "the ledger %.1f s later; %d pending; service CPU %.1f s; %d threads; %s",
                    backlog, upWithBacklog, known, discovery, ServiceProcess.statusCount(status, "pending"),
                    service.cpuSeconds(), service.threads(), Bench.load()));
            Bench.report("start to /health UP with " + backlog + " trophies on disk", upWithBacklog, "s",
                    medianRestart, null, null);
            Bench.report("RSS with a backlog of " + backlog + " trophies (VmRSS)", rss, "MB", idleRss, "< 300 MB",
                    rss < 300);
            Bench.report("peak RSS while discovering the backlog (VmHWM)", hwm, "MB", idleRss, "< 300 MB",
                    hwm < 300);
            assertEquals(backlog, trophiesKnown(status), "every trophy of the backlog is in the ledger: " + status);
        } finally {
            if (service != null) {
                service.close();
                Bench.keepLog(service, "startup-backlog");
            }
            Bench.deleteTree(tmp);
        }
    }

    private static long trophiesKnown(String status) {
        long sum = 0;
        for (String state : List.of("pending", "waiting", "signing", "signed", "rejecting", "rejected", "ignored")) {
            sum += Math.max(0, ServiceProcess.statusCount(status, state));
        }
        return sum;
    }

    private static String seconds(List<Double> values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format("%.2f s", v));
        }
        return b.toString();
    }
}
