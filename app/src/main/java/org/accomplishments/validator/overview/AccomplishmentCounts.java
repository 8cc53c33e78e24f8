package org.accomplishments.validator.overview;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trophies by accomplishment and state, and by collection: the one grouping that reads the whole ledger (a second
 * or so on H2 with a million rows), so it is counted in the background at most every {@code MAX_AGE} while someone
 * looks, and a page shows the last counts with their time, like the dashboard's state counts.
 */
@Singleton
public class AccomplishmentCounts {
    static final Duration MAX_AGE = Duration.ofSeconds(60);

    private final DataSource pool;
    private final Clock clock;
    private final AtomicBoolean recounting = new AtomicBoolean();
    private final ExecutorService recounter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "accomplishment-recount");
        t.setDaemon(true);
        return t;
    });
    private volatile Counts counts;

    public AccomplishmentCounts(DataSource dataSource, Clock clock) {
        this.pool = DelegatingDataSource.unwrapDataSource(dataSource);
        this.clock = clock;
    }

    /** One accomplishment (or collection): its trophies by state (lower case), and their total. */
    public record Row(String name, Map<String, Long> states, long total) {
    }

    public record Counts(List<Row> accomplishments, List<Row> collections, Instant at, long tookMs) {
    }

    public Counts counts() {
        return ReadFailed.reading(() -> countsSql());
    }

    Counts countsSql() throws SQLException {
        Counts c = counts;
        if (c == null) {
            synchronized (this) {
                return counts != null ? counts : recount();
            }
        }
        if (c.at().plus(MAX_AGE).isBefore(clock.instant()) && recounting.compareAndSet(false, true)) {
            recounter.execute(() -> {
                try {
                    recount();
                } catch (SQLException | RuntimeException e) {
                    LoggerFactory.getLogger(AccomplishmentCounts.class).warn("counting by accomplishment failed: {}",
                            e.toString());
                } finally {
                    recounting.set(false);
                }
            });
        }
        return c;
    }

    private Counts recount() throws SQLException {
        long started = System.nanoTime();
        Map<String, Map<String, Long>> byAccomplishment = new TreeMap<>();
        Map<String, Map<String, Long>> byCollection = new TreeMap<>();
        try (Connection c = pool.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT accomplishment_id, state, COUNT(*) FROM trophy "
                     + "GROUP BY accomplishment_id, state");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1) == null ? "(no accomplishment: unreadable trophy)" : rs.getString(1);
                String state = rs.getString(2).toLowerCase(Locale.ROOT);
                long n = rs.getLong(3);
                byAccomplishment.computeIfAbsent(id, k -> new TreeMap<>()).merge(state, n, Long::sum);
                int slash = id.indexOf('/');
                String collection = rs.getString(1) == null || slash < 0 ? id : id.substring(0, slash);
                byCollection.computeIfAbsent(collection, k -> new TreeMap<>()).merge(state, n, Long::sum);
            }
        }
        Counts result = new Counts(rows(byAccomplishment), rows(byCollection), clock.instant(),
                (System.nanoTime() - started) / 1_000_000);
        counts = result;
        return result;
    }

    private static List<Row> rows(Map<String, Map<String, Long>> grouped) {
        List<Row> rows = new ArrayList<>();
        grouped.forEach((name, states) -> rows.add(new Row(name, states,
                states.values().stream().mapToLong(Long::longValue).sum())));
        return rows;
    }

    @PreDestroy
    void close() {
        recounter.shutdownNow();
    }
}
