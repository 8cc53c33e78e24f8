package org.accomplishments.validator.overview;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the rollup ({@link VerdictRollup}) says about the recent past: verdicts per hour and per day for the charts,
 * and the last hour's throughput and latency. Every read is a primary-key range of {@code verdict_rollup}: at most
 * a few thousand rows whatever the size of the ledger.
 */
@Singleton
public class Activity {
    /** The series the charts draw, in stacking order. */
    public static final List<String> SERIES = List.of("signed", "issued", "rejected", "waiting", "revoked", "ignored");

    private final DataSource pool;
    private final Clock clock;

    public Activity(DataSource dataSource, Clock clock) {
        this.pool = DelegatingDataSource.unwrapDataSource(dataSource);
        this.clock = clock;
    }

    /** One bar: its start and the count of each series. */
    public record Bucket(Instant start, Map<String, Long> counts) {
        public long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The last hour (60 minute buckets up to now): verdicts of each state, the final verdicts' latency from first
     * seen (mean, and the histogram's bound under which half and 95 % of them fall).
     */
    public record LastHour(Map<String, Long> counts, long finalVerdicts, double perMinute, Double meanLatencyMs,
                           String p50, String p95) {
        public long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** How far the rollup has read and when it last ran. */
    public record RollupMark(long rolledUpTo, Instant runAt) {
    }

    public List<Bucket> hourly(int hours) {
        return ReadFailed.reading(() -> hourlySql(hours));
    }

    List<Bucket> hourlySql(int hours) throws SQLException {
        Instant end = VerdictRollup.bucket(clock.instant(), 3600).plus(Duration.ofHours(1));
        Instant start = end.minus(Duration.ofHours(hours));
        return series(read(3600, start), start, end, Duration.ofHours(1));
    }

    public List<Bucket> daily(int days) {
        return ReadFailed.reading(() -> dailySql(days));
    }

    List<Bucket> dailySql(int days) throws SQLException {
        Instant end = VerdictRollup.bucket(clock.instant(), 86_400).plus(Duration.ofDays(1));
        Instant start = end.minus(Duration.ofDays(days));
        Map<Instant, Map<String, Long>> byDay = new TreeMap<>();
        for (Map.Entry<Instant, Map<String, Long>> hour : read(3600, start).entrySet()) {
            Map<String, Long> day = byDay.computeIfAbsent(VerdictRollup.bucket(hour.getKey(), 86_400), k -> new TreeMap<>());
            hour.getValue().forEach((state, n) -> day.merge(state, n, Long::sum));
        }
        return series(byDay, start, end, Duration.ofDays(1));
    }

    public LastHour lastHour() {
        return ReadFailed.reading(() -> lastHourSql());
    }

    LastHour lastHourSql() throws SQLException {
        Instant now = clock.instant();
        Instant since = VerdictRollup.bucket(now, 60).minus(Duration.ofMinutes(59));
        Map<String, Long> counts = new LinkedHashMap<>();
        SERIES.forEach(s -> counts.put(s, 0L));
        long[] histogram = new long[VerdictRollup.LATENCY_COLUMNS.length];
        long latencySum = 0;
        long finals = 0;
        try (Connection c = pool.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT state, verdicts, latency_ms_sum, "
                     + String.join(", ", VerdictRollup.LATENCY_COLUMNS) + " FROM verdict_rollup "
                     + "WHERE bucket_seconds = 60 AND bucket_start >= ?")) {
            q.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String state = rs.getString(1).toLowerCase(java.util.Locale.ROOT);
                    counts.merge(state, rs.getLong(2), Long::sum);
                    latencySum += rs.getLong(3);
                    for (int i = 0; i < histogram.length; i++) {
                        long n = rs.getLong(4 + i);
                        histogram[i] += n;
                        finals += n;
                    }
                }
            }
        }
        long verdicts = counts.getOrDefault("signed", 0L) + counts.getOrDefault("rejected", 0L)
                + counts.getOrDefault("issued", 0L) + counts.getOrDefault("ignored", 0L);
        return new LastHour(counts, verdicts, verdicts / 60.0, finals == 0 ? null : (double) latencySum / finals,
                quantile(histogram, finals, 0.5), quantile(histogram, finals, 0.95));
    }

    public RollupMark mark() {
        return ReadFailed.reading(() -> markSql());
    }

    RollupMark markSql() throws SQLException {
        try (Connection c = pool.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT rolled_up_to, run_at FROM verdict_rollup_state WHERE id = 1");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            return new RollupMark(rs.getLong(1), rs.getTimestamp(2).toInstant());
        }
    }

    /** The latest next attempt of a waiting trophy: when the waiting part of the backlog is due at the latest. */
    public java.util.Optional<Instant> lastScheduledAttempt() {
        return ReadFailed.reading(() -> lastScheduledAttemptSql());
    }

    java.util.Optional<Instant> lastScheduledAttemptSql() throws SQLException {
        try (Connection c = pool.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT next_attempt_at FROM trophy WHERE state = 'WAITING' "
                     + "AND next_attempt_at IS NOT NULL ORDER BY state DESC, next_attempt_at DESC LIMIT 1");
             ResultSet rs = q.executeQuery()) {
            return rs.next() ? java.util.Optional.of(rs.getTimestamp(1).toInstant()) : java.util.Optional.empty();
        }
    }

    /** "≤ 10 s": the upper bound of the histogram bucket the quantile falls in (none without verdicts). */
    static String quantile(long[] histogram, long total, double q) {
        if (total == 0) {
            return null;
        }
        String[] labels = {"≤ 1 s", "≤ 10 s", "≤ 1 min", "≤ 10 min", "≤ 1 h", "≤ 1 day", "> 1 day"};
        long needed = (long) Math.ceil(total * q);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= needed) {
                return labels[i];
            }
        }
        return labels[labels.length - 1];
    }

    private Map<Instant, Map<String, Long>> read(int size, Instant from) throws SQLException {
        Map<Instant, Map<String, Long>> rows = new TreeMap<>();
        try (Connection c = pool.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT bucket_start, state, verdicts FROM verdict_rollup "
                     + "WHERE bucket_seconds = ? AND bucket_start >= ?")) {
            q.setInt(1, size);
            q.setTimestamp(2, Timestamp.from(from));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.computeIfAbsent(rs.getTimestamp(1).toInstant(), k -> new TreeMap<>())
                            .merge(rs.getString(2).toLowerCase(java.util.Locale.ROOT), rs.getLong(3), Long::sum);
                }
            }
        }
        return rows;
    }

    private static List<Bucket> series(Map<Instant, Map<String, Long>> rows, Instant start, Instant end, Duration step) {
        List<Bucket> out = new ArrayList<>();
        for (Instant t = start; t.isBefore(end); t = t.plus(step)) {
            Map<String, Long> counts = new LinkedHashMap<>();
            Map<String, Long> row = rows.getOrDefault(t, Map.of());
            for (String s : SERIES) {
                counts.put(s, row.getOrDefault(s, 0L));
            }
            out.add(new Bucket(t, counts));
        }
        return out;
    }
}
