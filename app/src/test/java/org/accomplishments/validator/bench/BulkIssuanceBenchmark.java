package org.accomplishments.validator.bench;

import org.accomplishments.validator.auth.PasswordHasher;
import org.accomplishments.validator.signing.ClearsignSigner;
import org.accomplishments.validator.signing.KeyAlgorithm;
import org.accomplishments.validator.signing.KeyringSettings;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.accomplishments.validator.web.WebSession;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issues 4 and 12: bulk issuance of {@code ROWS} rows. {@code ROWS / 5} accepted shares, five human-issued
 * accomplishments; one CSV of share id, accomplishment, note per row, uploaded through the page as an admin does it.
 *
 * <p>Figures: the dry run (upload to the checked page) and the apply (button to "Done": every row recorded, signed
 * and written as two fsynced files) timed apart; the apply's rate (issue 12: at least 1,500 trophies/s), the
 * service's CPU per trophy and fsyncs per row over the apply ({@code perf stat} on the service's syscalls, when perf
 * is there), then a smaller run on the counting JDBC driver for SQL statements and commits per row. The baseline,
 * measured in the same run and in this JVM: the per-row primitives themselves, N times (an Ed25519 clearsign, two
 * write+fsync+rename, an H2 insert and commit per row) on as many threads as the service's bulk writers.
 */
class BulkIssuanceBenchmark {
    private static final int ROWS = Integer.getInteger("bench.bulk.rows", 10_000);
    private static final int COUNTED_ROWS = Integer.getInteger("bench.bulk.counted-rows", 1_000);
    private static final int BASELINE_ROWS = Integer.getInteger("bench.bulk.baseline-rows", 4_000);
    /** As many as the service's bulk writers (BulkIssuance.WORKERS). */
    private static final int BASELINE_THREADS = Integer.getInteger("bench.bulk.baseline-threads", 32);
    private static final int PER_SHARE = 5;
    private static final String PASSWORD = "bench-admin-password";
    private static final String TROPHY = "[trophy]\nversion = 0.2\nid = council/award0\n"
            + "date-accomplished = 2026-12-03 10:00\nneeds-signing = true\nissued-by = admin\nnote = bench row, 1\n";

    @Test
    void tenThousandRowsAreCheckedAndIssuedAtTheMachinesLimit() throws Exception {
        Path tmp = Bench.tempDir("bench-bulk");
        try {
            Bench.info("bulk", "start, " + ROWS + " rows, " + Bench.load());
            double baseline = primitives(tmp.resolve("baseline"));

            Run run = run(tmp.resolve("run"), ROWS, Map.of(), true);
            Bench.report("bulk dry run of " + ROWS + " rows", run.dryRun, "s", null, null, null);
            Bench.report("bulk apply of " + ROWS + " rows", run.apply, "s", null, null, null);
            Bench.report("bulk issuance of " + ROWS + " rows (dry run + apply)", run.dryRun + run.apply, "s", null,
                    "< 60 s", run.dryRun + run.apply < 60);
            Bench.report("bulk apply rate, written and signed", ROWS / run.apply, "trophies/s", baseline, ">= 1500/s",
                    ROWS / run.apply >= 1500);
            Bench.report("bulk apply: service CPU per trophy", run.cpuSeconds * 1000 / ROWS, "ms", null, null, null);
            if (run.fsyncs >= 0) {
                Bench.report("bulk apply: fsyncs per row (files and database)", (double) run.fsyncs / ROWS, "", null,
                        null, null);
            }
            Bench.report("bulk: ledger recognises all " + ROWS + " as signed, after the button", run.signedAfter,
                    "s", null, null, null);

            Run counted = run(tmp.resolve("run-counted"), COUNTED_ROWS, Map.of(
                    "datasources.default.url", "jdbc:counting:h2:file:" + tmp.resolve("run-counted/data/db/validator")
                            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE",
                    "datasources.default.driver-class-name",
                    "org.accomplishments.validator.validation.CountingJdbcDriver"), false);
            Bench.report("bulk apply: SQL statements per row (counted run of " + COUNTED_ROWS + ")",
                    counted.statements / COUNTED_ROWS, "", null, null, null);
            Bench.report("bulk apply: commits per row (counted run)", counted.commits / COUNTED_ROWS, "", null, null,
                    null);
            Bench.info("bulk", String.format(Locale.ROOT, "counted run: %.0f trophies/s; end, %s",
                    COUNTED_ROWS / counted.apply, Bench.load()));
        } finally {
            Bench.deleteTree(tmp);
        }
    }

    private record Run(double dryRun, double apply, double cpuSeconds, long fsyncs, double signedAfter,
                       double statements, double commits) {
    }

    private static Run run(Path dir, int rows, Map<String, String> properties, boolean countFsyncs) throws Exception {
        int shares = rows / PER_SHARE;
        Path collections = dir.resolve("collections");
        Path en = Files.createDirectories(collections.resolve("accomplishments/council/en"));
        Files.writeString(collections.resolve("accomplishments/council/ABOUT"), "[general]\nname = Council\nlangdefault = en\n");
        for (int a = 0; a < PER_SHARE; a++) {
            Files.writeString(en.resolve("award" + a + ".accomplishment"), "[accomplishment]\ntitle = Award " + a
                    + "\ndescription = Given by the council\nneeds-signing = true\nhuman-issued = true\n");
        }
        Path data = dir.resolve("data");
        Path sharesRoot = Files.createDirectories(data.resolve("shares"));
        StringBuilder csv = new StringBuilder("share,accomplishment,note\n");
        for (int s = 0; s < shares; s++) {
            Files.createDirectories(sharesRoot.resolve(Bench.shareDirName(s)));
            String id = String.format("00000000-0000-4000-8000-%012d", s);
            for (int a = 0; a < PER_SHARE; a++) {
                csv.append(id).append(",council/award").append(a).append(",\"bench row, ").append(s).append("\"\n");
            }
        }
        Map<String, String> settings = new HashMap<>(properties);
        settings.put("validator.web.admin-password-hash", PasswordHasher.hash(PASSWORD));
        settings.put("validator.shares.offer-interval", "2s");
        ServiceProcess service = ServiceProcess.start(data, collections, settings);
        try {
            service.awaitHealthy(Duration.ofSeconds(120));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (ServiceProcess.statusCount(service.get("/api/status"), "accepted") < shares
                    && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            WebSession admin = new WebSession(service.uri("").toString());
            admin.login("admin", PASSWORD);
            admin.page("/bulk");

            long t0 = System.nanoTime();
            HttpResponse<String> uploaded = admin.upload("/bulk", "file", "bench.csv", csv.toString());
            assertEquals(303, uploaded.statusCode(), uploaded.body());
            String job = uploaded.headers().firstValue("Location").orElseThrow();
            String checked = admin.page(job);
            double dryRun = (System.nanoTime() - t0) / 1e9;
            Matcher willIssue = Pattern.compile("class=\"verdict-will-issue\">(\\d+)<").matcher(checked);
            assertTrue(willIssue.find() && Integer.parseInt(willIssue.group(1)) == rows, checked.substring(0, 4000));

            double[] db0 = database(service);
            Process perf = countFsyncs ? perf(service.pid(), dir.resolve("perf.txt")) : null;
            double cpu0 = service.cpuSeconds();
            long t1 = System.nanoTime();
            deadline = t1 + Duration.ofMinutes(10).toNanos();
            assertEquals(303, admin.post(job + "/apply", Map.of()).statusCode());
            // The ledger's count first (a cheap request), then the job page: rendering its 1,000 rows costs the
            // service more CPU than a row does, and a person's browser asks for it every 2 s, not 20 times a second.
            while (ServiceProcess.statusCount(service.get("/api/status"), "signed") < rows
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String done;
            while (!(done = admin.page(job)).contains(">Done<")) {
                Thread.sleep(100);
            }
            double apply = (System.nanoTime() - t1) / 1e9;
            double cpu = service.cpuSeconds() - cpu0;
            long fsyncs = perf == null ? -1 : stop(perf, dir.resolve("perf.txt"));
            double[] db = database(service);
            Matcher issued = Pattern.compile("<strong class=\"verdict-issued\">(\\d+)</strong>").matcher(done);
            assertTrue(issued.find(), done.substring(0, 3000));
            assertEquals(rows, Integer.parseInt(issued.group(1)), "every row issued");
            while (ServiceProcess.statusCount(service.get("/api/status"), "signed") < rows
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            double signedAfter = (System.nanoTime() - t1) / 1e9;
            assertEquals(rows, Bench.countFiles(sharesRoot, ".trophy.asc"));
            Bench.info("bulk", String.format(Locale.ROOT, "%d rows: apply %.2f s, %s, %s", rows, apply, Bench.load(),
                    service.memory()));
            return new Run(dryRun, apply, cpu, fsyncs, signedAfter, db[0] - db0[0], db[1] - db0[1]);
        } finally {
            Bench.keepLog(service, "bulk-" + rows);
            service.close();
        }
    }

    /**
     * The baseline: each row's primitives done directly, {@code BASELINE_THREADS} rows at a time as the service's
     * bulk writers do: sign the trophy (Ed25519), write the {@code .asc} and the {@code .trophy} (temporary file,
     * fsync, rename), insert a row into an H2 file database and commit. Prints each primitive's cost on its own.
     */
    private static double primitives(Path dir) throws Exception {
        Files.createDirectories(dir);
        ValidationKeyring keyring = ValidationKeyring.open(dir.resolve("keys"),
                KeyringSettings.generate(KeyAlgorithm.ED25519, KeyringSettings.DEFAULT_USER_ID));
        ClearsignSigner signer = new ClearsignSigner(keyring);
        for (int i = 0; i < 3_000; i++) {
            signer.sign(TROPHY);
        }
        long s0 = System.nanoTime();
        for (int i = 0; i < 2_000; i++) {
            signer.sign(TROPHY);
        }
        double signMs = (System.nanoTime() - s0) / 1e6 / 2_000;
        String url = "jdbc:h2:file:" + dir.resolve("db/primitives") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE award (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, share_id VARCHAR(64), "
                    + "accomplishment_id VARCHAR(300), state VARCHAR(16), signed_by VARCHAR(64))");
        }
        ExecutorService pool = Executors.newFixedThreadPool(BASELINE_THREADS);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> rows = new ArrayList<>();
            for (int t = 0; t < BASELINE_THREADS; t++) {
                int thread = t;
                rows.add(pool.submit(() -> {
                    try (Connection c = DriverManager.getConnection(url, "sa", "");
                         PreparedStatement insert = c.prepareStatement(
                                 "INSERT INTO award (share_id, accomplishment_id, state, signed_by) VALUES (?, ?, ?, ?)")) {
                        c.setAutoCommit(false);
                        Path folder = Files.createDirectories(dir.resolve("shares/t" + thread));
                        for (int i = thread; i < BASELINE_ROWS; i += BASELINE_THREADS) {
                            String signed = signer.sign(TROPHY).armored();
                            atomicWrite(folder, "award" + i + ".trophy.asc", signed);
                            atomicWrite(folder, "award" + i + ".trophy", TROPHY);
                            insert.setString(1, "share-" + i);
                            insert.setString(2, "council/award" + i);
                            insert.setString(3, "ISSUED");
                            insert.setString(4, "bench");
                            insert.executeUpdate();
                            c.commit();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                }));
            }
            for (Future<?> row : rows) {
                row.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double rate = BASELINE_ROWS / seconds;
            Bench.info("bulk baseline", String.format(Locale.ROOT, "Ed25519 clearsign %.3f ms on one thread; %d rows "
                            + "of clearsign + 2 x (write, fsync, rename) + H2 insert and commit on %d threads: %.2f s, "
                            + "%.0f rows/s, %s", signMs, BASELINE_ROWS, BASELINE_THREADS, seconds, rate, Bench.load()));
            return rate;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static void atomicWrite(Path folder, String name, String content) throws IOException {
        Path temp = folder.resolve("." + name + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code perf stat} counting the service's fsync and fdatasync calls, or null when perf cannot. */
    private static Process perf(long pid, Path out) {
        try {
            Process perf = new ProcessBuilder("perf", "stat", "-x", ",", "-o", out.toString(), "-e",
                    "syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync", "-p", Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(300);
            return perf.isAlive() ? perf : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Stops perf (SIGINT, as ^C) and sums its counts; -1 when it printed none. */
    private static long stop(Process perf, Path out) throws Exception {
        new ProcessBuilder("kill", "-INT", Long.toString(perf.pid())).start().waitFor();
        if (!perf.waitFor(10, TimeUnit.SECONDS)) {
            perf.destroyForcibly();
            return -1;
        }
        long sum = -1;
        for (String line : Files.readAllLines(out)) {
            String[] f = line.split(",");
            if (f.length > 2 && f[2].startsWith("syscalls:") && f[0].matches("\\d+")) {
                sum = Math.max(sum, 0) + Long.parseLong(f[0]);
            }
        }
        return sum;
    }

    /** Statements and commits so far (zero unless on the counting driver). */
    private static double[] database(ServiceProcess service) {
        String text = service.get("/prometheus");
        return new double[]{metric(text, "validator_database_statements_total"),
                metric(text, "validator_database_commits_total")};
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
