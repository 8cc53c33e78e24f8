package org.accomplishments.validator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Target 1: end-to-end throughput with a trivial {@code sh} logic script. {@code SHARES} shares of
 * {@code PER_SHARE} global trophies each are renamed into the share root of a running service; the clock runs
 * until every {@code .trophy.asc} exists. Baseline, in the same run: the original server's sequential loop
 * (script process, then one {@code gpg --clearsign} process per trophy) over {@code BASELINE_TROPHIES}
 * trophies. Target: at least 10 times the baseline rate.
 */
class ThroughputBenchmark {
    private static final int SHARES = Integer.getInteger("bench.throughput.shares", 200);
    private static final int PER_SHARE = 10;
    private static final int BASELINE_TROPHIES = Integer.getInteger("bench.throughput.baseline", 200);
    static final String TRIVIAL_SCRIPT = "#!/bin/sh\nexit 0\n";

    @Test
    void signsTrophiesDroppedIntoSharesAtLeastTenTimesFasterThanTheOriginalLoop() throws Exception {
        Path tmp = Bench.tempDir("bench-tput");
        ServiceProcess service = null;
        try (OriginalServer original = OriginalServer.create()) {
            Path collections = Bench.collection(tmp.resolve("collections"), "bench", PER_SHARE, TRIVIAL_SCRIPT);
            Bench.info("throughput", "start, " + Bench.load());

            // ---- baseline: the original server's sequential loop ----
            Path baselineShares = Files.createDirectories(tmp.resolve("baseline-shares"));
            Path baselineStaging = Files.createDirectories(tmp.resolve("baseline-staging"));
            List<Path> trophies = new ArrayList<>();
            for (int s = 0; trophies.size() < BASELINE_TROPHIES; s++) {
                Path share = Bench.dropShare(baselineStaging, baselineShares, s, "bench", PER_SHARE);
                for (int t = 0; t < PER_SHARE && trophies.size() < BASELINE_TROPHIES; t++) {
                    trophies.add(share.resolve("bench").resolve("t" + t + ".trophy"));
                }
            }
            long b0 = System.nanoTime();
            for (Path trophy : trophies) {
                String name = trophy.getFileName().toString().replace(".trophy", ".sh");
                original.validate(collections.resolve("scripts/bench").resolve(name), trophy);
            }
            double baselineSeconds = (System.nanoTime() - b0) / 1e9;
            double baselineRate = trophies.size() / baselineSeconds;
            assertEquals(trophies.size(), Bench.countFiles(baselineShares, ".trophy.asc"), "baseline .asc files");
            Bench.info("throughput", String.format("baseline: %d trophies in %.2f s, %.1f ms each",
                    trophies.size(), baselineSeconds, baselineSeconds * 1000 / trophies.size()));

            // ---- ours: the service as a separate JVM, shares renamed into its share root ----
            Path data = tmp.resolve("data");
            Path sharesRoot = Files.createDirectories(data.resolve("shares"));
            Path staging = Files.createDirectories(tmp.resolve("staging"));
            List<Path> prepared = new ArrayList<>();
            for (int s = 0; s < SHARES; s++) {
                // Built in staging first, so the timed part is only the renames (a sync tool finishing).
                Path dir = staging.resolve(Bench.shareDirName(s)).resolve("bench");
                Files.createDirectories(dir);
                for (int t = 0; t < PER_SHARE; t++) {
                    Files.writeString(dir.resolve("t" + t + ".trophy"), Bench.trophy("bench", "t" + t, true));
                }
                prepared.add(dir.getParent());
            }
            service = ServiceProcess.start(data, collections, Map.of());
            double up = service.awaitHealthy(Duration.ofSeconds(90));
            Bench.info("throughput", String.format("service up in %.2f s (pid %d)", up, service.pid()));
            ServiceProcess.sleep(1000); // let the start-up catch-up (empty) finish

            int total = SHARES * PER_SHARE;
            double cpu0 = service.cpuSeconds();
            long t0 = System.nanoTime();
            for (Path share : prepared) {
                Files.move(share, sharesRoot.resolve(share.getFileName()),
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            double dropped = (System.nanoTime() - t0) / 1e9;
            long deadline = t0 + Duration.ofMinutes(10).toNanos();
            int signed = 0;
            int dumps = 0;
            while (System.nanoTime() < deadline) {
                signed = Bench.countFiles(sharesRoot, ".trophy.asc");
                if (signed >= total) {
                    break;
                }
                if (dumps == 0 && signed > total / 2) {
                    service.threadDump(); // a profile sample in the kept log, half way
                    dumps++;
                }
                ServiceProcess.sleep(50);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = service.cpuSeconds() - cpu0;
            double rate = signed / seconds;
            int rejected = Bench.countFiles(sharesRoot, ".trophy.rejected");
            Bench.info("throughput", String.format("ours: %d of %d trophies signed in %.2f s (renames took %.3f s); "
                            + "service CPU %.1f s (%.2f ms per trophy, %.0f%% of the 2 cores); %d rejected; %s",
                    signed, total, seconds, dropped, cpu, cpu * 1000 / Math.max(1, signed),
                    100 * cpu / seconds / Runtime.getRuntime().availableProcessors(), rejected, Bench.load()));
            Bench.report("end-to-end throughput (trivial sh script)", rate, "trophies/s", baselineRate,
                    ">= 10x baseline", rate >= 10 * baselineRate);

            // ---- functional checks: every trophy signed, none rejected, signatures verify with gpg ----
            assertEquals(0, rejected, "no trophy may be rejected");
            assertEquals(total, signed, "every trophy must be signed within 10 minutes");
            original.importKey(service.get("/api/keys/current"));
            for (int s = 0; s < SHARES; s += Math.max(1, SHARES / 20)) {
                Path asc = sharesRoot.resolve(Bench.shareDirName(s)).resolve("bench/t" + (s % PER_SHARE)
                        + ".trophy.asc");
                assertTrue(original.verifies(asc), asc + " must verify with gpg");
                assertTrue(Bench.read(asc).contains("share-id = 00000000-0000-4000-8000-"), asc + " binding");
            }
            String status = service.get("/api/status");
            assertEquals(total, ServiceProcess.statusCount(status, "signed"), "ledger: " + status);
        } finally {
            if (service != null) {
                service.close();
                Bench.keepLog(service, "throughput");
            }
            Bench.deleteTree(tmp);
        }
    }
}
