package org.accomplishments.validator.overview;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import org.accomplishments.validator.validation.TrophyState;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Trophies per state without counting the ledger: {@code trophy_state_count} (V10) holds the counts up to event
 * {@code counted_to}, kept by the verdict rollup in the transaction that moves that mark; a read adds the events
 * after it (at most {@value #MAX_TAIL}, by primary key). Every state change is a {@code trophy_event} row, so an
 * event moves one trophy from the state of its trophy's previous event (none: a new trophy) to its own; script
 * runs record the state they ran in and are no change. Nothing lives in memory and nothing is added to the
 * ledger's write path: any node reads the same counts, before and after a kill -9.
 */
@Singleton
public class StateCounts {
    /** Events after the rollup's mark a read adds at most; beyond, the counts are those as of the last one read. */
    static final int MAX_TAIL = 1_000;

    private final DataSource pool;

    public StateCounts(DataSource dataSource) {
        this.pool = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /**
     * Trophies per state (lower case, every state), as of event {@code asOfEvent}; {@code complete} unless more
     * than {@value #MAX_TAIL} events were not rolled up yet (then the later ones are not counted yet).
     */
    public record Counts(Map<String, Long> byState, long asOfEvent, boolean complete, long tookMs) {
    }

    public Counts now() {
        return ReadFailed.reading(this::nowSql);
    }

    Counts nowSql() throws SQLException {
        long started = System.nanoTime();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (TrophyState s : TrophyState.values()) {
            counts.put(s.name(), 0L);
        }
        long mark = 0;
        try (Connection c = pool.getConnection()) {
            // One statement: the counts and their mark from the same commit of the rollup.
            try (PreparedStatement q = c.prepareStatement("SELECT r.counted_to, n.state, n.trophies "
                    + "FROM verdict_rollup_state r LEFT JOIN trophy_state_count n ON 1 = 1 WHERE r.id = 1");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    mark = rs.getLong(1);
                    if (rs.getString(2) != null) {
                        counts.merge(rs.getString(2), rs.getLong(3), Long::sum);
                    }
                }
            }
            long[] tail = StateMoves.read(c, mark, Long.MAX_VALUE, MAX_TAIL, false, move -> tally(counts, move));
            Map<String, Long> out = new LinkedHashMap<>();
            counts.forEach((state, n) -> out.put(state.toLowerCase(Locale.ROOT), n));
            return new Counts(out, tail[0] > 0 ? tail[1] : mark, tail[0] < MAX_TAIL,
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Adds one move to counts by state. */
    static void tally(Map<String, Long> counts, StateMoves.Move move) {
        if (move.fromState() != null) {
            counts.merge(move.fromState(), -1L, Long::sum);
        }
        counts.merge(move.state(), 1L, Long::sum);
    }

    /**
     * Adds the moves tallied up to event {@code to} into {@code trophy_state_count}, in the caller's transaction (the
     * rollup's, which holds {@code verdict_rollup_state}'s row: one node at a time).
     */
    static void rollUp(Connection c, Map<String, Long> moves, long to) throws SQLException {
        for (Map.Entry<String, Long> e : moves.entrySet()) {
            if (e.getValue() == 0) {
                continue;
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE trophy_state_count SET trophies = trophies + ? WHERE state = ?")) {
                update.setLong(1, e.getValue());
                update.setString(2, e.getKey());
                if (update.executeUpdate() > 0) {
                    continue;
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO trophy_state_count (state, trophies) VALUES (?, ?)")) {
                insert.setString(1, e.getKey());
                insert.setLong(2, e.getValue());
                insert.executeUpdate();
            }
        }
        try (PreparedStatement mark = c.prepareStatement("UPDATE verdict_rollup_state SET counted_to = ? WHERE id = 1")) {
            mark.setLong(1, to);
            mark.executeUpdate();
        }
    }
}
