package org.accomplishments.validator.overview;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Trophies by accomplishment and state, and by collection, without counting the ledger: {@code
 * trophy_accomplishment_count} (V11) holds them up to event {@code accomplishments_counted_to}, kept by the verdict
 * rollup like {@link StateCounts}; a read adds the events after that mark (at most {@value StateCounts#MAX_TAIL}).
 * Each event records its trophy's accomplishment as of the change, so a trophy whose file was read after it was found
 * moves from "no accomplishment" to its own.
 */
@Singleton
public class AccomplishmentCounts {
    /** The label of trophies without an accomplishment: their file was not read yet, or could not be. */
    public static final String NONE = "(no accomplishment: not read yet, or unreadable)";

    private final DataSource pool;

    public AccomplishmentCounts(DataSource dataSource) {
        this.pool = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /** One accomplishment (or collection): its trophies by state (lower case, only states it has), and their total. */
    public record Row(String name, Map<String, Long> states, long total) {
    }

    /**
     * The counts as of event {@code asOfEvent}; {@code complete} unless more than {@value StateCounts#MAX_TAIL}
     * changes were not rolled up yet (the later ones are then counted at the rollup's next run).
     */
    public record Counts(List<Row> accomplishments, List<Row> collections, long asOfEvent, boolean complete,
                         long tookMs) {
        /** Accomplishment (or {@link #NONE}) to its trophies by state. */
        public Map<String, Map<String, Long>> byAccomplishment() {
            Map<String, Map<String, Long>> map = new TreeMap<>();
            accomplishments.forEach(r -> map.put(r.name(), r.states()));
            return map;
        }
    }

    public Counts counts() {
        return ReadFailed.reading(this::countsSql);
    }

    Counts countsSql() throws SQLException {
        long started = System.nanoTime();
        Map<Key, Long> counts = new HashMap<>();
        long mark = 0;
        long[] tail;
        try (Connection c = pool.getConnection()) {
            // The counts and their mark from the same commit of the rollup.
            try (PreparedStatement q = c.prepareStatement("SELECT r.accomplishments_counted_to, n.accomplishment_id, "
                    + "n.state, n.trophies FROM verdict_rollup_state r "
                    + "LEFT JOIN trophy_accomplishment_count n ON 1 = 1 WHERE r.id = 1");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    mark = rs.getLong(1);
                    if (rs.getString(3) != null) {
                        counts.merge(new Key(rs.getString(2), rs.getString(3)), rs.getLong(4), Long::sum);
                    }
                }
            }
            tail = StateMoves.read(c, mark, Long.MAX_VALUE, StateCounts.MAX_TAIL, true, move -> tally(counts, move));
        }
        Map<String, Map<String, Long>> byAccomplishment = new TreeMap<>();
        Map<String, Map<String, Long>> byCollection = new TreeMap<>();
        counts.forEach((key, n) -> {
            if (n == 0) {
                return;
            }
            String state = key.state().toLowerCase(Locale.ROOT);
            String id = key.accomplishment().isEmpty() ? NONE : key.accomplishment();
            int slash = id.indexOf('/');
            String collection = key.accomplishment().isEmpty() || slash < 0 ? id : id.substring(0, slash);
            byAccomplishment.computeIfAbsent(id, k -> new TreeMap<>()).merge(state, n, Long::sum);
            byCollection.computeIfAbsent(collection, k -> new TreeMap<>()).merge(state, n, Long::sum);
        });
        return new Counts(rows(byAccomplishment), rows(byCollection), tail[0] > 0 ? tail[1] : mark,
                tail[0] < StateCounts.MAX_TAIL, (System.nanoTime() - started) / 1_000_000);
    }

    /** Adds one move to counts by accomplishment and state. */
    static void tally(Map<Key, Long> counts, StateMoves.Move move) {
        if (move.fromState() != null) {
            counts.merge(new Key(move.fromAccomplishment(), move.fromState()), -1L, Long::sum);
        }
        counts.merge(new Key(move.accomplishment(), move.state()), 1L, Long::sum);
    }

    /**
     * Adds the moves tallied up to event {@code to} into {@code trophy_accomplishment_count}, in the rollup's
     * transaction (which holds {@code verdict_rollup_state}'s row: one node at a time).
     */
    static void rollUp(Connection c, Map<Key, Long> moves, long to) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE trophy_accomplishment_count "
                + "SET trophies = trophies + ? WHERE accomplishment_id = ? AND state = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO trophy_accomplishment_count "
                     + "(accomplishment_id, state, trophies) VALUES (?, ?, ?)")) {
            for (Map.Entry<Key, Long> e : moves.entrySet()) {
                if (e.getValue() == 0) {
                    continue;
                }
                update.setLong(1, e.getValue());
                update.setString(2, e.getKey().accomplishment());
                update.setString(3, e.getKey().state());
                if (update.executeUpdate() == 0) {
                    insert.setString(1, e.getKey().accomplishment());
                    insert.setString(2, e.getKey().state());
                    insert.setLong(3, e.getValue());
                    insert.executeUpdate();
                }
            }
        }
        try (PreparedStatement mark = c.prepareStatement(
                "UPDATE verdict_rollup_state SET accomplishments_counted_to = ? WHERE id = 1")) {
            mark.setLong(1, to);
            mark.executeUpdate();
        }
    }

    private static List<Row> rows(Map<String, Map<String, Long>> grouped) {
        List<Row> rows = new ArrayList<>();
        grouped.forEach((name, states) -> rows.add(new Row(name, states,
                states.values().stream().mapToLong(Long::longValue).sum())));
        return rows;
    }

    /** An accomplishment ('' for none, as the table keeps it) and a state (upper case, as the ledger has it). */
    record Key(String accomplishment, String state) {
        Key {
            accomplishment = accomplishment == null ? "" : accomplishment;
        }
    }
}
