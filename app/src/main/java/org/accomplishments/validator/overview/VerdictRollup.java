package org.accomplishments.validator.overview;

import io.micronaut.context.annotation.Value;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Rolls the append-only {@code trophy_event} up into verdicts per minute and per hour ({@code verdict_rollup}),
 * so the charts and the last hour's throughput and latency read a few hundred rows however large the ledger is,
 * and the ledger's write path carries no counter. Each run reads events by primary key from where the previous one
 * stopped, in chunks, each chunk one transaction that also moves the mark: a crash counts nothing twice.
 *
 * <p>The same chunk moves the counts by state ({@link StateCounts}) and by accomplishment ({@link
 * AccomplishmentCounts}) as far as it read, in the same transaction.
 *
 * <p>An event is counted when it moves a trophy to a verdict or to waiting ({@code kind <> 'script'}: attempts are
 * recorded with the state they ran in). A trophy validated again counts again in the hour of its new verdict:
 * these are verdicts as they happened, not the ledger's current states (the state counts say those).
 */
@Singleton
public class VerdictRollup {
    private static final Logger LOG = LoggerFactory.getLogger(VerdictRollup.class);
    static final int CHUNK = 20_000;
    static final Duration KEEP_MINUTES = Duration.ofDays(3);
    /** Upper bounds of the latency histogram's buckets (the last one is everything beyond). */
    static final long[] LATENCY_BOUNDS_MS = {1_000, 10_000, 60_000, 600_000, 3_600_000, 86_400_000};
    static final String[] LATENCY_COLUMNS = {"latency_1s", "latency_10s", "latency_1m", "latency_10m", "latency_1h",
            "latency_1d", "latency_more"};

    private final DataSource pool;
    private final Clock clock;
    private final Object running = new Object();

    public VerdictRollup(DataSource dataSource, Clock clock) {
        this.pool = DelegatingDataSource.unwrapDataSource(dataSource);
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${validator.dashboard.rollup-interval:30s}", initialDelay = "5s")
    void scheduled() {
        try {
            rollUp();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("rolling up verdicts failed: {}; trying again at the next tick", e.toString());
        }
    }

    /** Rolls up every event up to the head seen at the previous run; returns how many events it read. */
    public long rollUp() throws SQLException {
        synchronized (running) {
            long read = 0;
            boolean more = true;
            while (more) {
                try (Connection c = pool.getConnection()) {
                    c.setAutoCommit(false);
                    try {
                        long[] chunk = chunk(c);
                        read += chunk[0];
                        more = chunk[1] != 0;
                        c.commit();
                    } catch (SQLException | RuntimeException e) {
                        c.rollback();
                        throw e;
                    } finally {
                        c.setAutoCommit(true);
                    }
                }
            }
            return read;
        }
    }

    /** One chunk in the caller's transaction: {events read, 1 when more are left}. */
    private long[] chunk(Connection c) throws SQLException {
        Instant now = clock.instant();
        try (PreparedStatement lock = c.prepareStatement("UPDATE verdict_rollup_state SET run_at = ? WHERE id = 1")) {
            lock.setTimestamp(1, Timestamp.from(now));
            lock.executeUpdate(); // holds the row: another node's run waits here, then finds the mark moved
        }
        long from;
        long head;
        long counted;
        long accomplishmentsCounted;
        try (PreparedStatement q = c.prepareStatement("SELECT rolled_up_to, head, counted_to, "
                + "accomplishments_counted_to FROM verdict_rollup_state WHERE id = 1");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            from = rs.getLong(1);
            head = rs.getLong(2);
            counted = rs.getLong(3);
            accomplishmentsCounted = rs.getLong(4);
        }
        long to = Math.min(head, from + CHUNK);
        Map<Key, long[]> sums = new HashMap<>();
        Instant keptFrom = bucket(now.minus(KEEP_MINUTES), 60);
        long read = 0;
        if (to > from) {
            try (PreparedStatement q = c.prepareStatement("SELECT e.at, e.state, e.kind, t.first_seen_at "
                    + "FROM trophy_event e JOIN trophy t ON t.id = e.trophy_id WHERE e.id > ? AND e.id <= ? "
                    + "AND e.kind <> 'script' AND e.state IN ('SIGNED', 'REJECTED', 'WAITING', 'IGNORED', 'REVOKED')")) {
                q.setLong(1, from);
                q.setLong(2, to);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        read++;
                        Instant at = rs.getTimestamp(1).toInstant();
                        String state = "issued".equals(rs.getString(3)) ? "ISSUED" : rs.getString(2);
                        Timestamp seen = rs.getTimestamp(4);
                        long latency = seen == null || !(state.equals("SIGNED") || state.equals("REJECTED")) ? -1
                                : Math.max(0, at.toEpochMilli() - seen.toInstant().toEpochMilli());
                        for (int size : new int[] {60, 3600}) {
                            if (size == 60 && at.isBefore(keptFrom)) {
                                continue; // pruned below anyway: a first pass over a long history wrote and
                                          // deleted a row per minute of it (half a million for a year)
                            }
                            long[] s = sums.computeIfAbsent(new Key(size, bucket(at, size), state),
                                    k -> new long[2 + LATENCY_COLUMNS.length]);
                            s[0]++;
                            if (latency >= 0) {
                                s[1] += latency;
                                s[2 + latencyBucket(latency)]++;
                            }
                        }
                    }
                }
            }
            for (Map.Entry<Key, long[]> e : sums.entrySet()) {
                add(c, e.getKey(), e.getValue());
            }
            countMoves(c, Math.max(from, counted), Math.max(from, accomplishmentsCounted), to);
        }
        boolean more = head > to;
        long newHead = head;
        if (!more) {
            // Caught up with the old head: the next run goes as far as the highest id there is now.
            try (PreparedStatement q = c.prepareStatement("SELECT MAX(id) FROM trophy_event");
                 ResultSet rs = q.executeQuery()) {
                rs.next();
                newHead = Math.max(head, rs.getLong(1));
            }
            try (PreparedStatement prune = c.prepareStatement(
                    "DELETE FROM verdict_rollup WHERE bucket_seconds = 60 AND bucket_start < ?")) {
                prune.setTimestamp(1, Timestamp.from(now.minus(KEEP_MINUTES)));
                prune.executeUpdate();
            }
        }
        try (PreparedStatement mark = c.prepareStatement(
                "UPDATE verdict_rollup_state SET rolled_up_to = ?, head = ? WHERE id = 1")) {
            mark.setLong(1, to > from ? to : from);
            mark.setLong(2, newHead);
            mark.executeUpdate();
        }
        return new long[] {read, more ? 1 : 0};
    }

    /**
     * Moves the kept counts by state and by accomplishment from their marks to {@code to}, reading the moves once for
     * both (their marks differ only after an upgrade, or when a node of the previous version rolled up meanwhile).
     */
    private static void countMoves(Connection c, long statesFrom, long accomplishmentsFrom, long to)
            throws SQLException {
        if (to <= Math.min(statesFrom, accomplishmentsFrom)) {
            return;
        }
        Map<String, Long> byState = new HashMap<>();
        Map<AccomplishmentCounts.Key, Long> byAccomplishment = new HashMap<>();
        StateMoves.read(c, Math.min(statesFrom, accomplishmentsFrom), to, Integer.MAX_VALUE, to > accomplishmentsFrom,
                move -> {
                    if (move.event() > statesFrom) {
                        StateCounts.tally(byState, move);
                    }
                    if (move.event() > accomplishmentsFrom) {
                        AccomplishmentCounts.tally(byAccomplishment, move);
                    }
                });
        if (to > statesFrom) {
            StateCounts.rollUp(c, byState, to);
        }
        if (to > accomplishmentsFrom) {
            AccomplishmentCounts.rollUp(c, byAccomplishment, to);
        }
    }

    private static void add(Connection c, Key key, long[] s) throws SQLException {
        StringBuilder set = new StringBuilder("verdicts = verdicts + ?, latency_ms_sum = latency_ms_sum + ?");
        for (String column : LATENCY_COLUMNS) {
            set.append(", ").append(column).append(" = ").append(column).append(" + ?");
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE verdict_rollup SET " + set
                + " WHERE bucket_seconds = ? AND bucket_start = ? AND state = ?")) {
            int i = 1;
            for (long v : s) {
                update.setLong(i++, v);
            }
            update.setInt(i++, key.size());
            update.setTimestamp(i++, Timestamp.from(key.start()));
            update.setString(i, key.state());
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        // Only the node holding verdict_rollup_state's row gets here, so nobody inserts the same bucket meanwhile.
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO verdict_rollup (bucket_seconds, bucket_start, "
                + "state, verdicts, latency_ms_sum, " + String.join(", ", LATENCY_COLUMNS) + ") VALUES (?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?)")) {
            insert.setInt(1, key.size());
            insert.setTimestamp(2, Timestamp.from(key.start()));
            insert.setString(3, key.state());
            for (int i = 0; i < s.length; i++) {
                insert.setLong(4 + i, s[i]);
            }
            insert.executeUpdate();
        }
    }

    static Instant bucket(Instant at, int seconds) {
        long s = at.getEpochSecond();
        return Instant.ofEpochSecond(s - Math.floorMod(s, seconds));
    }

    static int latencyBucket(long ms) {
        for (int i = 0; i < LATENCY_BOUNDS_MS.length; i++) {
            if (ms <= LATENCY_BOUNDS_MS[i]) {
                return i;
            }
        }
        return LATENCY_BOUNDS_MS.length;
    }

    private record Key(int size, Instant start, String state) {
    }
}
