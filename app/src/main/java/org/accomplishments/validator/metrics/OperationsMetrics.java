package org.accomplishments.validator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.annotation.PreDestroy;
import org.accomplishments.validator.collection.AccomplishmentCatalog;
import org.accomplishments.validator.collection.InstalledCollections;
import org.accomplishments.validator.collection.LoadProblem;
import org.accomplishments.validator.overview.StateCounts;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.storage.StorageGuard;
import org.accomplishments.validator.validation.TrophyState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What an operator alerts on, beside the pipeline's own counters: the share backend, the collections, the disks,
 * the trophies per state, the issued and revoked awards and the age of the oldest trophy still open. Everything
 * that reads the database or asks the backend is read on a scrape, at most every {@value #MAX_AGE_MILLIS} ms however
 * often Prometheus scrapes, with a few indexed queries; nothing is added to the work per trophy.
 *
 * <p>At start-up it also brings {@code validator_trophies_signed_total} and {@code validator_trophies_rejected_total}
 * to the ledger's counts, in the background so the start does not wait for it: a restart then continues the
 * counters from the ledger instead of from zero (the pipeline increments the same counters in memory).
 */
@Context
public class OperationsMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(OperationsMetrics.class);
    static final long MAX_AGE_MILLIS = 5_000;
    private static final List<TrophyState> OPEN = List.of(TrophyState.PENDING, TrophyState.WAITING,
            TrophyState.SIGNING, TrophyState.REJECTING);

    private final DataSource dataSource;
    private final InstalledCollections collections;
    private final Clock clock;
    private final Thread seeding;
    // Micrometer holds a gauge's object weakly: these must live as long as the bean.
    private final Cached<Boolean> backendUp;
    private final Cached<long[]> issued;
    private final Cached<Map<TrophyState, Instant>> oldest;
    private final Cached<Map<String, Long>> byState;

    public OperationsMetrics(MeterRegistry meters, DataSource dataSource, ShareBackend backend,
                             InstalledCollections collections, StorageGuard storage, StateCounts counts,
                             Clock clock) {
        // The raw pool: the injected DataSource is a contextual proxy that needs a surrounding transaction.
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.collections = collections;
        this.clock = clock;

        backendUp = cached("backend", () -> backend.health().up());
        Gauge.builder("validator.share.backend.up", backendUp, c -> Boolean.TRUE.equals(c.get()) ? 1 : 0)
                .description("1 while the share backend reaches its source (the same check as /health's shareBackend)")
                .tag("backend", backend.name()).register(meters);

        Gauge.builder("validator.collections.loaded", this, m -> m.catalog().collections().size())
                .description("Collections loaded from the collection roots (validator.collections.path)")
                .register(meters);
        Gauge.builder("validator.accomplishments.loaded", this, m -> m.catalog().size())
                .description("Accomplishments loaded; 0 means nothing is validated (/health DEGRADED)")
                .register(meters);
        Gauge.builder("validator.collections.with.problems", this, m -> m.collectionsWithProblems())
                .description("Collections with at least one file refused at the last load (see /api/collections)")
                .register(meters);
        Gauge.builder("validator.collection.load.problems", this, m -> m.catalog().problems().size())
                .description("Files of the collections refused at the last load (a broken .accomplishment, script, ...)")
                .register(meters);

        storage.watched().forEach((path, what) -> Gauge.builder("validator.disk.free", path,
                        OperationsMetrics::usableBytes)
                .description("Bytes free for the service on the file system of a watched folder; writing work "
                        + "pauses below validator.disk.min-free")
                .baseUnit("bytes").tag("path", path.toString()).tag("folder", what).register(meters));
        Gauge.builder("validator.disk.min.free", storage, StorageGuard::minFree)
                .description("validator.disk.min-free: below this many free bytes writing work pauses")
                .baseUnit("bytes").register(meters);

        issued = cached("issued", this::issuedCounts);
        Gauge.builder("validator.issued.trophies", issued, c -> c.get() == null ? Double.NaN : c.get()[0])
                .description("Trophies issued by hand (web UI, API, bulk) and signed, revoked ones not counted")
                .register(meters);
        Gauge.builder("validator.revoked.trophies", issued, c -> c.get() == null ? Double.NaN : c.get()[1])
                .description("Issued trophies revoked (named in /api/revocations)")
                .register(meters);

        byState = cached("trophies by state", () -> counts.now().byState());
        for (TrophyState state : TrophyState.values()) {
            String name = state.name().toLowerCase(Locale.ROOT);
            Gauge.builder("validator.trophies", byState, c -> c.get() == null ? Double.NaN : c.get().get(name))
                    .description("Trophies in the ledger now, by state (the dashboard's counts, kept by the verdict "
                            + "rollup; read at most every 5 s)").tag("state", name).register(meters);
        }

        oldest = cached("oldest", this::oldestOpen);
        for (TrophyState state : OPEN) {
            Gauge.builder("validator.oldest.open.trophy.age", oldest, c -> c.get() == null ? Double.NaN : ageSeconds(c.get().get(state)))
                    .description("Age in seconds of the oldest trophy in this state since its discovery; 0 when none "
                            + "(pending: not looked at yet; waiting: to be tried again)")
                    .baseUnit("seconds").tag("state", state.name().toLowerCase(Locale.ROOT)).register(meters);
        }

        seeding = new Thread(() -> seedVerdictCounters(meters), "metrics-seed");
        seeding.setDaemon(true);
        seeding.start();
    }

    private AccomplishmentCatalog catalog() {
        return collections.catalog();
    }

    private int collectionsWithProblems() {
        Set<Path> dirs = new HashSet<>();
        for (LoadProblem problem : catalog().problems()) {
            Path file = problem.file().toAbsolutePath().normalize();
            for (Path root : collections.roots()) {
                Path r = root.toAbsolutePath().normalize();
                if (file.startsWith(r) && !file.equals(r)) {
                    dirs.add(r.resolve(r.relativize(file).getName(0)));
                    break;
                }
            }
        }
        return dirs.size();
    }

    private static double usableBytes(Path path) {
        try {
            return Files.getFileStore(path).getUsableSpace();
        } catch (IOException e) {
            return Double.NaN; // the folder is gone: no value rather than a made-up one
        }
    }

    private double ageSeconds(Instant since) {
        return since == null ? 0 : Math.max(0, (clock.millis() - since.toEpochMilli()) / 1000.0);
    }

    /** {standing issued, revoked}. */
    private long[] issuedCounts() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement standing = c.prepareStatement(
                     "SELECT COUNT(*) FROM issued_trophy WHERE state = 'ISSUED' AND revoked_at IS NULL");
             PreparedStatement revoked = c.prepareStatement(
                     "SELECT COUNT(*) FROM issued_trophy WHERE revoked_at IS NOT NULL")) {
            return new long[]{single(standing), single(revoked)};
        }
    }

    /** The first-seen time of the lowest id per open state: one step down the (state, id) index each. */
    private Map<TrophyState, Instant> oldestOpen() throws SQLException {
        Map<TrophyState, Instant> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement(
                     // "ORDER BY state, id", not "id": H2 then walks trophy_state_id from the state's first entry;
                     // with "id" alone it took trophy_due and sorted every row in the state on each stale scrape.
                     "SELECT first_seen_at FROM trophy WHERE state = ? ORDER BY state, id LIMIT 1")) {
            for (TrophyState state : OPEN) {
                q.setString(1, state.name());
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        Timestamp t = rs.getTimestamp(1);
                        if (t != null) {
                            out.put(state, t.toInstant());
                        }
                    }
                }
            }
        }
        return out;
    }

    private void seedVerdictCounters(MeterRegistry meters) {
        try {
            Counter signed = meters.counter("validator.trophies.signed");
            double countedBefore = signed.count();
            try (Connection c = dataSource.getConnection();
                 PreparedStatement q = c.prepareStatement(
                         "SELECT state, reason, COUNT(*) FROM trophy WHERE state IN ('SIGNED', 'REJECTED') "
                                 + "GROUP BY state, reason")) {
                Map<String, Long> rejected = new HashMap<>();
                long signedInLedger = 0;
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        if ("SIGNED".equals(rs.getString(1))) {
                            signedInLedger += rs.getLong(3);
                        } else if (rs.getString(2) != null) {
                            rejected.merge(rs.getString(2), rs.getLong(3), Long::sum);
                        }
                    }
                }
                // Verdicts counted in memory before the query are in the ledger already: add only the rest.
                signed.increment(Math.max(0, signedInLedger - countedBefore));
                rejected.forEach((reason, n) -> {
                    Counter counter = meters.counter("validator.trophies.rejected", "reason", reason);
                    counter.increment(Math.max(0, n - counter.count()));
                });
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("the verdict counters start from zero: the ledger could not be read ({})", e.toString());
        }
    }

    @PreDestroy
    void close() {
        seeding.interrupt();
    }

    private static long single(PreparedStatement q) throws SQLException {
        try (ResultSet rs = q.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private <T> Cached<T> cached(String name, Reader<T> reader) {
        return new Cached<>(name, reader);
    }

    interface Reader<T> {
        T read() throws Exception;
    }

    /** The last value read, read again when older than {@link #MAX_AGE_MILLIS}; the last good one if that fails. */
    static final class Cached<T> implements Supplier<T> {
        private final String name;
        private final Reader<T> reader;
        private T value;
        private long readAt;

        Cached(String name, Reader<T> reader) {
            this.name = name;
            this.reader = reader;
        }

        @Override
        public synchronized T get() {
            long now = System.currentTimeMillis();
            if (value == null || now - readAt > MAX_AGE_MILLIS) {
                try {
                    value = reader.read();
                    readAt = now;
                } catch (Exception e) {
                    LOG.debug("metrics: cannot read {}: {}", name, e.toString());
                }
            }
            return value;
        }
    }
}
