package org.accomplishments.validator.bench;

import org.accomplishments.validator.auth.PasswordHasher;
import org.accomplishments.validator.web.WebSession;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 4: bulk issuance of {@code ROWS} rows (target under 60 s). {@code SHARES} accepted shares, five human-issued
 * accomplishments; one CSV of share id, accomplishment, note per row, uploaded through the page as an admin does it.
 * Figures: the dry run (upload to the checked page), the apply (button to "Done", which includes signing and both
 * atomic writes of every trophy), and when the ledger has recognised every issued trophy as signed.
 */
class BulkIssuanceBenchmark {
    private static final int ROWS = Integer.getInteger("bench.bulk.rows", 10_000);
    private static final int PER_SHARE = 5;
    private static final int SHARES = ROWS / PER_SHARE;
    private static final String PASSWORD = "bench-admin-password";

    @Test
    void tenThousandRowsAreCheckedAndIssuedInUnderAMinute() throws Exception {
        Path tmp = Bench.tempDir("bench-bulk");
        ServiceProcess service = null;
        try {
            Path collections = tmp.resolve("collections");
            Path en = Files.createDirectories(collections.resolve("accomplishments/council/en"));
            Files.writeString(collections.resolve("accomplishments/council/ABOUT"), "[general]\nname = Council\nlangdefault = en\n");
            for (int a = 0; a < PER_SHARE; a++) {
                Files.writeString(en.resolve("award" + a + ".accomplishment"), "[accomplishment]\ntitle = Award " + a
                        + "\ndescription = Given by the council\nneeds-signing = true\nhuman-issued = true\n");
            }
            Path data = tmp.resolve("data");
            Path sharesRoot = Files.createDirectories(data.resolve("shares"));
            StringBuilder csv = new StringBuilder("share,accomplishment,note\n");
            for (int s = 0; s < SHARES; s++) {
                Files.createDirectories(sharesRoot.resolve(Bench.shareDirName(s)));
                String id = String.format("00000000-0000-4000-8000-%012d", s);
                for (int a = 0; a < PER_SHARE; a++) {
                    csv.append(id).append(",council/award").append(a).append(",\"bench row, ").append(s).append("\"\n");
                }
            }
            Bench.info("bulk", "start, " + SHARES + " shares, " + ROWS + " rows, " + Bench.load());
            service = ServiceProcess.start(data, collections, Map.of(
                    "validator.web.admin-password-hash", PasswordHasher.hash(PASSWORD),
                    "validator.shares.offer-interval", "2s"));
            service.awaitHealthy(Duration.ofSeconds(120));
            ServiceProcess s = service;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (ServiceProcess.statusCount(s.get("/api/status"), "accepted") < SHARES && System.nanoTime() < deadline) {
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
            assertTrue(willIssue.find() && Integer.parseInt(willIssue.group(1)) == ROWS, checked.substring(0, 4000));

            long t1 = System.nanoTime();
            assertEquals(303, admin.post(job + "/apply", Map.of()).statusCode());
            String done;
            while (!(done = admin.page(job)).contains(">Done<")) {
                Thread.sleep(200);
            }
            double apply = (System.nanoTime() - t1) / 1e9;
            Matcher issued = Pattern.compile("<strong class=\"verdict-issued\">(\\d+)</strong>").matcher(done);
            assertTrue(issued.find(), done.substring(0, 3000));
            assertEquals(ROWS, Integer.parseInt(issued.group(1)), "every row issued");
            double total = dryRun + apply;
            Bench.report("bulk dry run of " + ROWS + " rows", dryRun, "s", null, null, null);
            Bench.report("bulk apply of " + ROWS + " rows", apply, "s", null, null, null);
            Bench.report("bulk issuance of " + ROWS + " rows (dry run + apply)", total, "s", null, "< 60 s", total < 60);
            Bench.report("bulk issuance rate", ROWS / apply, "trophies/s", null, null, null);
            while (ServiceProcess.statusCount(s.get("/api/status"), "signed") < ROWS && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Bench.report("bulk: ledger recognises all " + ROWS + " as signed, after the button", (System.nanoTime() - t1) / 1e9,
                    "s", null, null, null);
            assertEquals(ROWS, Bench.countFiles(sharesRoot, ".trophy.asc"));
            Bench.info("bulk", "end, " + Bench.load() + ", " + service.memory());
        } finally {
            if (service != null) {
                Bench.keepLog(service, "bulk");
                service.close();
            }
            Bench.deleteTree(tmp);
        }
    }
}
