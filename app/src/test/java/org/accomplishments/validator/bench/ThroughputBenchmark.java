package org.accomplishments.validator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * Issue 12: end-to-end throughput with a trivial {@code sh} logic script at default settings, for backlogs of
 * 2,000, 8,000 and 32,000 trophies (shares of 10 renamed into the share root of a freshly started service; the
 * clock runs until the service has signed them all). Two baselines measured in the same run: the 2012 server's
 * sequential loop (the script, then one {@code gpg --clearsign} process with an Ed25519 key, per trophy) and the
 * bare spawn rate of that script from this JVM with 2 threads. A last run of 2,000 on {@code CountingJdbcDriver}
 * counts SQL statements, commits and read-only switches per trophy.
 */
class ThroughputBenchmark {
    private static final int PER_SHARE = 10;
    private static final int BASELINE_TROPHIES = Integer.getInteger("bench.throughput.baseline", 200);
    private static final int SPAWNS = Integer.getInteger("bench.throughput.spawns", 2000);
    private static final String SIZES = System.getProperty("bench.throughput.sizes", "2000,8000,32000");
    static final String TRIVIAL_SCRIPT = "#!/bin/sh\nexit 0\n";

    @Test
    void signsTrophiesFasterThanTheOriginalLoopAndNearTheSpawnRateWhateverTheBacklog() throws Exception {
        Path tmp = Bench.tempDir("bench-tput");
        try (OriginalServer original = OriginalServer.create()) {
            Path collections = Bench.collection(tmp.resolve("collections"), "bench", PER_SHARE, TRIVIAL_SCRIPT);
            Path script = collections.resolve("scripts/bench/t0.sh");
            Bench.info("throughput", "start, " + Bench.load());

            double loopRate = originalLoop(original, collections, tmp);
            double spawnRate = spawnRate(script);

            Map<Integer, Double> curve = new LinkedHashMap<>();
            for (String size : SIZES.split(",")) {
                int total = Integer.parseInt(size.trim());
                Run run = run(original, collections, tmp.resolve("run-" + total), total, Map.of());
                curve.put(total, run.rate);
                Bench.report("end-to-end " + total + " trophies vs the 2012 loop", run.rate, "trophies/s", loopRate,
                        ">= 2.5x", run.rate >= 2.5 * loopRate);
                Bench.report("end-to-end " + total + " trophies vs bare JVM spawns (2 threads)", run.rate,
                        "trophies/s", spawnRate, ">= 0.8x", run.rate >= 0.8 * spawnRate);
                Bench.report("CPU per trophy, " + total + " trophies (service and its scripts)", run.cpuMsPerTrophy,
                        "ms", null, "< 4.5 ms", run.cpuMsPerTrophy < 4.5);
            }
            Integer first = curve.keySet().iterator().next();
            StringBuilder line = new StringBuilder();
            curve.forEach((n, r) -> line.append(String.format(Locale.ROOT, "%s%d: %.0f/s (%.2f)",
                    line.length() == 0 ? "" : ", ", n, r, r / curve.get(first))));
            Bench.info("throughput curve", line.toString());
            for (Map.Entry<Integer, Double> point : curve.entrySet()) {
                if (!point.getKey().equals(first)) {
                    Bench.report("rate at " + point.getKey() + " vs at " + first, point.getValue(), "trophies/s",
                            curve.get(first), ">= 0.9x", point.getValue() >= 0.9 * curve.get(first));
                }
            }

            // ---- the database work per trophy, on the counting driver (H2 underneath, as by default) ----
            Path counted = tmp.resolve("run-counted");
            Run run = run(original, collections, counted, first, Map.of(
                    "datasources.default.url", "jdbc:counting:h2:file:" + counted.resolve("data/db/validator")
                            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE",
                    "datasources.default.driver-class-name",
                    "org.accomplishments.validator.validation.CountingJdbcDriver"));
            Bench.report("SQL statements per trophy", run.statements / first, "", null, null, null);
            Bench.report("commits per trophy", run.commits / first, "", null, null, null);
            Bench.report("read-only switches per trophy", run.readOnlySwitches / first, "", null, null, null);
            Bench.info("throughput", String.format(Locale.ROOT, "counted run: %.0f trophies/s", run.rate));
        } finally {
            Bench.deleteTree(tmp);
        }
    }

    /** The 2012 server: for each trophy the script, then one gpg --clearsign process, one after the other. */
    private static double originalLoop(OriginalServer original, Path collections, Path tmp) throws Exception {
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
        double seconds = (System.nanoTime() - b0) / 1e9;
        assertEquals(trophies.size(), Bench.countFiles(baselineShares, ".trophy.asc"), "baseline .asc files");
        double rate = trophies.size() / seconds;
        Bench.info("throughput", String.format(Locale.ROOT, "2012 loop: %d trophies in %.2f s, %.0f/s, %s",
                trophies.size(), seconds, rate, Bench.load()));
        return rate;
    }

    /** The machine's spawn rate of the script: ProcessBuilder.start and waitFor from 2 threads, output discarded. */
    private static double spawnRate(Path script) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger failed = new AtomicInteger();
        try {
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < SPAWNS; i++) {
                done.add(pool.submit(() -> {
                    Process p = new ProcessBuilder(script.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                    if (p.waitFor() != 0) {
                        failed.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(0, failed.get(), "every bare spawn exits 0");
            double rate = SPAWNS / seconds;
            Bench.info("throughput", String.format(Locale.ROOT, "bare JVM spawns: %d in %.2f s, %.0f/s, %s",
                    SPAWNS, seconds, rate, Bench.load()));
            return rate;
        } finally {
            pool.shutdownNow();
        }
    }

    private record Run(double rate, double cpuMsPerTrophy, double statements, double commits,
                       double readOnlySwitches) {
    }

    /** A fresh service, {@code total} trophies renamed into its share root in shares of 10, until all are signed. */
    private static Run run(OriginalServer original, Path collections, Path dir, int total,
                           Map<String, String> properties) throws Exception {
        Path data = dir.resolve("data");
        Path sharesRoot = Files.createDirectories(data.resolve("shares"));
        Path staging = Files.createDirectories(dir.resolve("staging"));
        List<Path> prepared = new ArrayList<>();
        for (int s = 0; s < total / PER_SHARE; s++) {
            // Built in staging first, so the timed part is only the renames (a sync tool finishing).
            Path coll = Files.createDirectories(staging.resolve(Bench.shareDirName(s)).resolve("bench"));
            for (int t = 0; t < PER_SHARE; t++) {
                Files.writeString(coll.resolve("t" + t + ".trophy"), Bench.trophy("bench", "t" + t, true));
            }
            prepared.add(coll.getParent());
        }
        ServiceProcess service = ServiceProcess.start(data, collections, properties);
        try {
            double up = service.awaitHealthy(Duration.ofSeconds(120));
            Bench.info("throughput", String.format(Locale.ROOT, "%d: service up in %.2f s (pid %d)", total, up,
                    service.pid()));
            ServiceProcess.sleep(1000); // let the start-up catch-up (empty) finish
            double[] db0 = database(service);
            double cpu0 = service.cpuSeconds();
            double all0 = service.cpuSecondsWithChildren();
            long t0 = System.nanoTime();
            for (Path share : prepared) {
                Files.move(share, sharesRoot.resolve(share.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
            long deadline = t0 + Duration.ofMinutes(15).toNanos();
            long signed = 0;
            boolean dumped = false;
            while (System.nanoTime() < deadline) {
                // The signed counter from /prometheus: cheap for the service, unlike a walk of 3,200 folders here.
                signed = signedCount(service);
                if (signed >= total) {
                    break;
                }
                if (!dumped && signed > total / 2) {
                    service.threadDump(); // a profile sample in the kept log, half way
                    dumped = true;
                }
                ServiceProcess.sleep(100);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = service.cpuSeconds() - cpu0;
            double all = service.cpuSecondsWithChildren() - all0;
            double[] db = database(service);
            int files = Bench.countFiles(sharesRoot, ".trophy.asc");
            int rejected = Bench.countFiles(sharesRoot, ".trophy.rejected");
            double rate = files / seconds;
            Bench.info("throughput", String.format(Locale.ROOT, "%d: %d signed in %.2f s, %.0f/s; CPU %.1f s in the "
                            + "JVM (%.2f ms per trophy), %.1f s with the scripts (%.2f ms per trophy, %.0f%% of the "
                            + "cores); %d rejected; %s", total, files, seconds, rate, cpu, cpu * 1000 / total, all,
                    all * 1000 / total, 100 * all / seconds / Runtime.getRuntime().availableProcessors(), rejected,
                    Bench.load()));

            assertEquals(0, rejected, "no trophy may be rejected");
            assertEquals(total, files, "every trophy must be signed within 15 minutes");
            original.importKey(service.get("/api/keys/current"));
            int shares = total / PER_SHARE;
            for (int s = 0; s < shares; s += Math.max(1, shares / 10)) {
                Path asc = sharesRoot.resolve(Bench.shareDirName(s)).resolve("bench/t" + (s % PER_SHARE)
                        + ".trophy.asc");
                assertTrue(original.verifies(asc), asc + " must verify with gpg");
                assertTrue(Bench.read(asc).contains("share-id = 00000000-0000-4000-8000-"), asc + " binding");
            }
            String status = service.get("/api/status");
            assertEquals(total, ServiceProcess.statusCount(status, "signed"), "ledger: " + status);
            return new Run(rate, all * 1000 / total, db[0] - db0[0], db[1] - db0[1], db[2] - db0[2]);
        } finally {
            service.close();
            Bench.keepLog(service, "throughput-" + total);
        }
    }

    private static long signedCount(ServiceProcess service) {
        return (long) metric(service.get("/prometheus"), "validator_trophies_signed_total");
    }

    /** Statements, commits and read-only switches so far (zero unless on the counting driver). */
    private static double[] database(ServiceProcess service) {
        String text = service.get("/prometheus");
        return new double[]{metric(text, "validator_database_statements_total"),
                metric(text, "validator_database_commits_total"),
                metric(text, "validator_database_read_only_switches_total")};
    }

    private static double metric(String prometheus, String name) {
        double sum = 0;
        for (String line : prometheus.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
