package org.accomplishments.validator.overview;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * The state changes in a range of {@code trophy_event}, each read as a move of one trophy: from the accomplishment and
 * state of its trophy's previous change (none: a new trophy) to its own. Script runs record the state they ran in and
 * are no change. The kept counts ({@link StateCounts}, {@link AccomplishmentCounts}) are sums of these moves.
 */
final class StateMoves {
    /** The previous change of the same trophy: one step down trophy_event_trophy for each column read from it. */
    private static String previous(String column) {
        return "(SELECT p." + column + " FROM trophy_event p WHERE p.trophy_id = e.trophy_id AND p.id < e.id "
                + "AND p.kind <> 'script' ORDER BY p.id DESC LIMIT 1)";
    }

    private static final String RANGE = " FROM trophy_event e WHERE e.id > ? AND e.id <= ? AND e.kind <> 'script' "
            + "ORDER BY e.id LIMIT ?";
    private static final String MOVES = "SELECT e.id, NULL, " + previous("state") + ", NULL, e.state" + RANGE;
    private static final String MOVES_WITH_ACCOMPLISHMENTS = "SELECT e.id, " + previous("accomplishment_id") + ", "
            + previous("state") + ", e.accomplishment_id, e.state" + RANGE;

    private StateMoves() {
    }

    /**
     * Event {@code event} moved one trophy; {@code fromState} is null for a new trophy; an accomplishment is null when
     * the file was not read yet or unreadable, and always null when the read did not ask for them.
     */
    record Move(long event, String fromAccomplishment, String fromState, String accomplishment, String state) {
    }

    /**
     * Hands the moves of up to {@code limit} events in ({@code from}, {@code to}] to {@code sink}, in event order;
     * returns {events read, the last one's id}. The accomplishments cost a second step per event: asked for only when
     * needed.
     */
    static long[] read(Connection c, long from, long to, int limit, boolean withAccomplishments, Consumer<Move> sink)
            throws SQLException {
        long read = 0;
        long last = from;
        try (PreparedStatement q = c.prepareStatement(withAccomplishments ? MOVES_WITH_ACCOMPLISHMENTS : MOVES)) {
            q.setLong(1, from);
            q.setLong(2, to);
            q.setInt(3, limit);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    read++;
                    last = rs.getLong(1);
                    sink.accept(new Move(last, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return new long[] {read, last};
    }
}
