package org.accomplishments.validator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Target 4: idle cost. {@code SHARES} shares of {@code 10} untouched files each (one local trophy, which the
 * service records once and ignores; {@code .extrainformation/email}; eight other user files), all accepted and
 * settled before measuring. Figures: service CPU of a rescan as the timer ticks ({@code POST
 * /api/shares/rescan?changed=true}: shares whose folder mtimes did not move are skipped; 3 times) and of a full one
 * (every share listed, as every tenth tick does; 2 times), read from /proc/<pid>/stat, both with the offer round
 * the route runs first, and the duration the response reports, target < 1 s; steady-state CPU with the default
 * timers over two 60 s windows, target < 2% of one core. Baseline: {@code find} walking and stat-ing the same
 * tree once (the original cron job did at least that every minute).
 */
class IdleBenchmark {
    private static final int SHARES = Integer.getInteger("bench.idle.shares", 10_000);
    private static final int FILES_PER_SHARE = 10;
    private static final long WINDOW_S = Long.getLong("bench.idle.window", 60);

    @Test
    void anIdleServiceWithManyUntouchedFilesCostsLittleCpu() throws Exception {
        Path tmp = Bench.tempDir("bench-idle");
        ServiceProcess service = null;
        try {
            Path collections = Bench.collection(tmp.resolve("collections"), "bench", 1,
                    ThroughputBenchmark.TRIVIAL_SCRIPT);
            Bench.localAccomplishments(collections, "bench", 1);
            Bench.info("idle", "start, " + Bench.load());

            Path data = tmp.resolve("data");
            Path sharesRoot = Files.createDirectories(data.resolve("shares"));
            long c0 = System.nanoTime();
            byte[] local = Bench.trophy("bench", "local0", false).getBytes();
            byte[] note = "a note the user keeps here\n".getBytes();
            for (int s = 0; s < SHARES; s++) {
                Path share = sharesRoot.resolve(Bench.shareDirName(s));
                Path coll = Files.createDirectories(share.resolve("bench"));
                Path info = Files.createDirectories(share.resolve(".extrainformation"));
                Files.write(info.resolve("email"), ("user" + s + "@example.org").getBytes());
                Files.write(coll.resolve("local0.trophy"), local);
                for (int f = 0; f < FILES_PER_SHARE - 2; f++) {
                    Files.write(coll.resolve("note-" + f + ".txt"), note);
                }
            }
            int files = SHARES * FILES_PER_SHARE;
            Bench.info("idle", String.format("created %d shares x %d files = %d files in %.1f s", SHARES,
                    FILES_PER_SHARE, files, (System.nanoTime() - c0) / 1e9));

            // ---- baseline: one walk of the tree by find, its own CPU time ----
            double findCpu = findCpuSeconds(sharesRoot);

            // ---- start and let the service accept every share and record every local trophy ----
            service = ServiceProcess.start(data, collections, Map.of());
            double up = service.awaitHealthy(Duration.ofSeconds(180));
            long s0 = System.nanoTime();
            long deadline = s0 + Duration.ofMinutes(8).toNanos();
            String status = service.get("/api/status");
            while (System.nanoTime() < deadline) {
                status = service.get("/api/status");
                if (ServiceProcess.statusCount(status, "accepted") >= SHARES
                        && ServiceProcess.statusCount(status, "ignored") >= SHARES
                        && ServiceProcess.statusCount(status, "pending") == 0) {
                    break;
                }
                ServiceProcess.sleep(500);
            }
            double settle = (System.nanoTime() - s0) / 1e9;
            double settleCpu = service.cpuSeconds();
            Bench.info("idle", String.format("service up in %.1f s; all shares accepted and local trophies recorded "
                            + "%.1f s later; service CPU so far %.1f s; %s; %d threads; %s", up, settle,
                    settleCpu, service.memory(), service.threads(), Bench.load()));
            assertEquals(SHARES, ServiceProcess.statusCount(status, "accepted"), "accepted shares: " + status);
            assertEquals(SHARES, ServiceProcess.statusCount(status, "ignored"), "ignored local trophies: " + status);
            ServiceProcess.sleep(5000); // let the last events and scans finish

            // ---- forced rescans: as the timer ticks (unchanged shares skipped), then listing every share ----
            for (String mode : List.of("changed", "changed", "changed", "full", "full")) {
                double cpu0 = service.cpuSeconds();
                long w0 = System.nanoTime();
                String answer = service.post("/api/shares/rescan" + (mode.equals("changed") ? "?changed=true" : ""));
                double wall = (System.nanoTime() - w0) / 1e9;
                double cpu = service.cpuSeconds() - cpu0;
                Matcher m = Pattern.compile("in (\\d+) ms").matcher(answer);
                double reported = m.find() ? Long.parseLong(m.group(1)) / 1000.0 : Double.NaN;
                assertTrue(answer.contains("rescanned " + SHARES + " shares"), answer);
                assertTrue(answer.contains("; 0 new candidate"), answer);
                Bench.report("idle: " + (mode.equals("changed") ? "rescan tick (unchanged shares skipped)"
                                : "full rescan (every share listed)") + " service CPU (" + files + " files)", cpu,
                        "s CPU", findCpu, "< 1 s", cpu < 1.0);
                Bench.info("idle", String.format("%s rescan: HTTP round trip %.2f s, reported duration %.2f s,"
                        + " answer %s", mode, wall, reported, answer));
            }

            // ---- steady state with the default timers ----
            double[] windows = new double[2];
            for (int w = 0; w < windows.length; w++) {
                double cpu0 = service.cpuSeconds();
                long w0 = System.nanoTime();
                ServiceProcess.sleep(WINDOW_S * 1000);
                double seconds = (System.nanoTime() - w0) / 1e9;
                windows[w] = 100 * (service.cpuSeconds() - cpu0) / seconds;
                Bench.report(String.format("idle: steady-state CPU, window %d (%d s)", w + 1, WINDOW_S), windows[w],
                        "% of one core", 100 * findCpu / 60, "< 2%", windows[w] < 2.0);
            }
            double mean = (windows[0] + windows[1]) / 2;
            Bench.report("idle: steady-state CPU, mean of both windows", mean, "% of one core", 100 * findCpu / 60,
                    "< 2%", mean < 2.0);
            Bench.info("idle", String.format("baseline: find walks the %d files in %.2f s CPU; a cron job doing "
                    + "that once a minute costs %.2f%% of a core; now %s; %s", files, findCpu,
                    100 * findCpu / 60, service.memory(), Bench.load()));
            status = service.get("/api/status");
            assertEquals(0, ServiceProcess.statusCount(status, "pending"), status);
        } finally {
            if (service != null) {
                service.close();
                Bench.keepLog(service, "idle");
            }
            Bench.deleteTree(tmp);
        }
    }

    /** User + system CPU of {@code find} stat-ing every entry down to the collection folders, via bash's times. */
    private static double findCpuSeconds(Path root) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c",
                "find \"$1\" -mindepth 1 -maxdepth 3 -printf '%p %s %T@\\n' > /dev/null; times", "bash",
                root.toString()));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        // times prints two lines: the shell's, then its children's: "0m0.123s 0m0.456s"
        String[] lines = out.strip().split("\n");
        Matcher m = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s").matcher(lines[lines.length - 1]);
        if (!m.find()) {
            throw new IllegalStateException("cannot read find's times: " + out);
        }
        return Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2))
                + Integer.parseInt(m.group(3)) * 60 + Double.parseDouble(m.group(4));
    }
}
