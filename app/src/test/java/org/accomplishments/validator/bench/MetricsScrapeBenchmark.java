package org.accomplishments.validator.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Issue 14: what GET /prometheus costs with {@code TROPHIES} trophies in the ledger (95% signed, 5% waiting).
 * "cached" scrapes come within 5 s of each other and find every database-backed gauge fresh; "stale" ones wait 5.5 s
 * first, so every gauge reads the database again (the ledger's counts by state, the oldest open trophy, the issued
 * counts): the baseline is the cached scrape, measured in the same run. Also: how long after /health UP the verdict
 * counters have taken the ledger's counts (the background start-up count).
 */
class MetricsScrapeBenchmark {
    private static final int TROPHIES = Integer.getInteger("bench.metrics.trophies", 1_000_000);
    private static final int SHARES = 1_000;

    @Test
    void scrapingCostsLittleWithAMillionTrophies() throws Exception {
        Path tmp = Bench.tempDir("bench-metrics");
        ServiceProcess service = null;
        try {
            Path collections = Bench.collection(tmp.resolve("collections"), "bench", 1, ThroughputBenchmark.TRIVIAL_SCRIPT);
            Path data = tmp.resolve("data");
            service = ServiceProcess.start(data, collections, Map.of());
            service.awaitHealthy(Duration.ofSeconds(120));
            service.close(); // the schema is there; fill the ledger while nobody else holds the H2 file
            long signed = fill(data);

            service = ServiceProcess.start(data, collections, Map.of());
            service.awaitHealthy(Duration.ofSeconds(300));
            long up = System.nanoTime();
            while (counter(service.get("/prometheus"), "validator_trophies_signed_total") < signed) {
                if (System.nanoTime() - up > 120_000_000_000L) {
                    throw new AssertionError("validator_trophies_signed_total did not reach " + signed);
                }
                Thread.sleep(50);
            }
            Bench.report("metrics: verdict counters at the ledger's count (" + TROPHIES + " trophies), after /health UP",
                    (System.nanoTime() - up) / 1e6, "ms", null, null, null);
            // validator_trophies{state} comes from the counts the verdict rollup keeps: it has to read the history
            // the fill wrote behind the service's back first (a ledger the service wrote is counted as it goes).
            while (counter(service.get("/prometheus"), "validator_trophies{state=\"signed\"}") < signed) {
                if (System.nanoTime() - up > 600_000_000_000L) {
                    throw new AssertionError("validator_trophies{state=signed} did not reach " + signed);
                }
                Thread.sleep(1000);
            }
            Bench.report("metrics: trophies by state at the ledger's count (" + TROPHIES + " trophies, the rollup read "
                    + "the history written by JDBC), after /health UP", (System.nanoTime() - up) / 1e6, "ms", null,
                    null, null);

            List<Double> cached = new ArrayList<>();
            List<Double> stale = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Thread.sleep(5_500);
                stale.add(scrapeMs(service));
                for (int j = 0; j < 3; j++) {
                    cached.add(scrapeMs(service));
                }
            }
            double baseline = Bench.percentile(cached, 50);
            Bench.report("metrics: GET /prometheus, every gauge read again (" + TROPHIES + " trophies), p50",
                    Bench.percentile(stale, 50), "ms", baseline, "< 1000 ms", Bench.percentile(stale, 50) < 1000);
            Bench.info("metrics", String.format("stale max %.1f ms over %d; cached p50 %.1f ms over %d; %s",
                    stale.stream().mapToDouble(d -> d).max().orElse(0), stale.size(), baseline, cached.size(),
                    Bench.load()));
        } finally {
            if (service != null) {
                Bench.keepLog(service, "metrics");
                service.close();
            }
            Bench.deleteTree(tmp);
        }
    }

    private static double scrapeMs(ServiceProcess service) {
        long t = System.nanoTime();
        service.get("/prometheus");
        return (System.nanoTime() - t) / 1e6;
    }

    private static double counter(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }

    /** Shares whose folders are gone (no rescan touches them) and their trophies; returns how many are signed. */
    private static long fill(Path data) throws Exception {
        String url = "jdbc:h2:file:" + data.resolve("db/validator")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        Instant now = Instant.now();
        long signed = 0;
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.setAutoCommit(false);
            try (PreparedStatement share = c.prepareStatement("INSERT INTO share (id, backend, owner, visible_name, "
                    + "name, folder, state, reason, offered_at, decided_at) VALUES (?, 'local', ?, ?, 'trophies', ?, "
                    + "'GONE', 'the folder is gone', ?, ?)")) {
                for (int s = 0; s < SHARES; s++) {
                    Timestamp at = Timestamp.from(now.minus(Duration.ofDays(400)));
                    share.setString(1, String.format("share-%05d", s));
                    share.setString(2, "owner" + s);
                    share.setString(3, "Owner " + s);
                    share.setString(4, "/nonexistent/share-" + s);
                    share.setTimestamp(5, at);
                    share.setTimestamp(6, at);
                    share.addBatch();
                }
                share.executeBatch();
            }
            try (PreparedStatement trophy = c.prepareStatement("INSERT INTO trophy (share_id, path, sha256, size, "
                    + "accomplishment_id, state, attempts, next_attempt_at, first_seen_at, updated_at) "
                    + "VALUES (?, ?, ?, 120, ?, ?, 1, ?, ?, ?)")) {
                for (int i = 0; i < TROPHIES; i++) {
                    Instant seen = now.minus(Duration.ofSeconds((long) (TROPHIES - i) * 30));
                    boolean waiting = i % 20 == 0;
                    signed += waiting ? 0 : 1;
                    trophy.setString(1, String.format("share-%05d", i % SHARES));
                    trophy.setString(2, "bench/t" + (i / SHARES) + ".trophy");
                    trophy.setString(3, String.format("%064x", i));
                    trophy.setString(4, "bench/t" + (i / SHARES));
                    trophy.setString(5, waiting ? "WAITING" : "SIGNED");
                    trophy.setTimestamp(6, waiting ? Timestamp.from(now.plus(Duration.ofDays(1))) : null);
                    trophy.setTimestamp(7, Timestamp.from(seen));
                    trophy.setTimestamp(8, Timestamp.from(seen.plusSeconds(2)));
                    trophy.addBatch();
                    if (i % 10_000 == 9_999) {
                        trophy.executeBatch();
                        c.commit();
                    }
                }
                trophy.executeBatch();
            }
            // The history a ledger has (every state change is an event): the counts by state are kept from it.
            try (PreparedStatement events = c.prepareStatement("INSERT INTO trophy_event (trophy_id, at, kind, state, "
                    + "detail, accomplishment_id) SELECT id, updated_at, 'verdict', state, 'benchmark', accomplishment_id "
                    + "FROM trophy WHERE id > ? AND id <= ?")) {
                for (long from = 0; from < TROPHIES; from += 50_000) {
                    events.setLong(1, from);
                    events.setLong(2, from + 50_000);
                    events.executeUpdate();
                    c.commit();
                }
            }
            c.commit();
        }
        return signed;
    }
}
