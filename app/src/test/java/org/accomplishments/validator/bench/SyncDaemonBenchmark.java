package org.accomplishments.validator.bench;

import org.accomplishments.validator.share.syncdaemon.SyncDaemonControl;
import org.accomplishments.validator.share.syncdaemon.TestBus;
import org.accomplishments.validator.share.syncdaemon.TestSyncDaemon;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The syncdaemon backend against a real dbus-daemon and the test sync daemon, the jar started as the README does:
 * <ul>
 *   <li>offer-to-accepted: one offer at a time ({@code NewShare}), until {@code /api/status} counts it accepted
 *       (polled every 2 ms; each poll is one HTTP request, so the figure includes up to one poll's time);</li>
 *   <li>1,000 offers at once, until all are accepted;</li>
 *   <li>{@code DownloadFinished}-to-{@code .asc}: a trophy delivered (renamed into place, then the signal) every
 *       {@code INTERVAL_MS}, until its {@code .trophy.asc} exists (polled every millisecond). Target from issue 3:
 *       within 1 s. The original server's floor was its cron job: once a minute.</li>
 * </ul>
 * The offer and rescan timers keep their defaults (1 and 2 minutes): everything measured here is signal-driven.
 */
class SyncDaemonBenchmark {
    private static final int OFFERS = Integer.getInteger("bench.syncdaemon.offers", 100);
    private static final int CROWD = 1000;
    private static final int SAMPLES = Integer.getInteger("bench.syncdaemon.samples", 200);
    private static final int WARM_UP = 20;
    private static final long INTERVAL_MS = 150;

    @Test
    void acceptsOffersAndSignsDownloadsDrivenBySignals() throws Exception {
        Path tmp = Bench.tempDir("bench-syncdaemon");
        int total = WARM_UP + SAMPLES;
        Path collections = Bench.collection(tmp.resolve("collections"), "bench", total,
                ThroughputBenchmark.TRIVIAL_SCRIPT);
        Path data = tmp.resolve("data");
        Bench.info("syncdaemon", "start, " + Bench.load());
        try (TestBus bus = new TestBus();
             TestSyncDaemon daemon = new TestSyncDaemon(bus.address(), data.resolve("shares"),
                     tmp.resolve("syncdaemon-state.json"), tmp.resolve("syncdaemon.log"), List.of());
             ServiceProcess service = ServiceProcess.start(data, collections, Map.of(
                     "validator.shares.backend", "syncdaemon",
                     "validator.shares.syncdaemon.bus-address", bus.address()))) {
            service.awaitHealthy(Duration.ofSeconds(90));
            SyncDaemonControl control = daemon.control();

            // ---- offer to accepted, one at a time ----
            List<Double> offerMs = new ArrayList<>();
            for (int i = 0; i < OFFERS + 5; i++) {
                long t0 = System.nanoTime();
                control.offer("owner" + i, "Owner" + i, "owner" + i + " Trophies Folder");
                awaitAccepted(service, i + 1, Duration.ofSeconds(30));
                if (i >= 5) {
                    offerMs.add((System.nanoTime() - t0) / 1e6);
                }
            }
            Bench.report("syncdaemon offer-to-accepted p50", Bench.percentile(offerMs, 50), "ms", null, null, null);
            Bench.report("syncdaemon offer-to-accepted p99", Bench.percentile(offerMs, 99), "ms", null, null, null);

            // ---- a thousand at once ----
            long t0 = System.nanoTime();
            control.offerMany(CROWD, "crowd");
            awaitAccepted(service, OFFERS + 5 + CROWD, Duration.ofMinutes(10));
            double crowdSeconds = (System.nanoTime() - t0) / 1e9;
            Bench.report("syncdaemon 1,000 offers at once, all accepted", crowdSeconds, "s", null, null, null);

            // ---- DownloadFinished to .asc ----
            String shareId = control.offerMany(1, "signer").get(0);
            awaitAccepted(service, OFFERS + 5 + CROWD + 1, Duration.ofSeconds(30));
            Path folder = Files.list(data.resolve("shares")).filter(p -> p.getFileName().toString().contains(shareId))
                    .findFirst().orElseThrow();
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                byte[] trophy = Bench.trophy("bench", "t" + i, true).getBytes(StandardCharsets.UTF_8);
                Path asc = folder.resolve("bench/t" + i + ".trophy.asc");
                long start = System.nanoTime();
                control.deliver(shareId, "bench/t" + i + ".trophy", trophy);
                long deadline = start + Duration.ofSeconds(30).toNanos();
                while (!Files.exists(asc) && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertEquals(true, Files.exists(asc), "t" + i + " signed within 30 s");
                if (i >= WARM_UP) {
                    ms.add((System.nanoTime() - start) / 1e6);
                }
                Thread.sleep(INTERVAL_MS);
            }
            double p50 = Bench.percentile(ms, 50);
            double p99 = Bench.percentile(ms, 99);
            Bench.report("syncdaemon DownloadFinished-to-.asc p50", p50, "ms", null, "< 1000 ms", p50 < 1000);
            Bench.report("syncdaemon DownloadFinished-to-.asc p99", p99, "ms", null, "< 1000 ms", p99 < 1000);
            Bench.info("syncdaemon", SAMPLES + " samples every " + INTERVAL_MS + " ms after " + WARM_UP
                    + " warm-up; " + OFFERS + " single offers; end, " + Bench.load());
            Bench.keepLog(service, "syncdaemon");
        }
    }

    private static void awaitAccepted(ServiceProcess service, long count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ServiceProcess.statusCount(service.get("/api/status"), "accepted") < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " shares not accepted within " + timeout);
            }
            ServiceProcess.sleep(2);
        }
    }
}
