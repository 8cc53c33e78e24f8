package org.accomplishments.validator.overview;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import org.accomplishments.validator.validation.TrophyState;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ledger filtered, newest first, keyset-paged by id. The most selective filter given decides the index the
 * query walks from its newest end (share: {@code trophy_share_id}; accomplishment: {@code trophy_accomplishment_id},
 * with a state {@code trophy_accomplishment_state_id}; reason: {@code trophy_reason_id}, with a state
 * {@code trophy_reason_state_id}; state: {@code trophy_state_id}; none: the primary key); the others are checked
 * on the rows it passes. A filter that matches nothing in a large ledger can still walk far: each query has a time
 * limit, and running out of it says so instead of keeping a request thread.
 */
@Singleton
public class TrophyList {
    static final int QUERY_TIMEOUT_S = 5;
    /** An owner with more shares than this is refused: the page would be a list of shares, not of trophies. */
    static final int MAX_OWNER_SHARES = 200;
    /** How far {@code first_seen_at} may run behind a higher id (see {@link #firstIdSeenFrom}). */
    static final java.time.Duration SEEN_SLACK = java.time.Duration.ofMinutes(10);

    private final DataSource pool;

    public TrophyList(DataSource dataSource) {
        this.pool = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /** One line of the list, with the share's owner. */
    public record Line(long id, String shareId, String owner, String path, @Nullable String accomplishmentId,
                       String state, @Nullable String reason, @Nullable String detail, int attempts,
                       Instant firstSeenAt, Instant updatedAt, @Nullable Instant verdictAt, @Nullable String signedBy) {
    }

    /** The filter's state, checked; a wrong one is an {@link IllegalArgumentException} naming the states. */
    public static String stateOf(ListFilter filter) {
        if (filter.state().isEmpty()) {
            return null;
        }
        for (TrophyState s : TrophyState.values()) {
            if (s.name().equalsIgnoreCase(filter.state().replace('-', '_'))) {
                return s.name();
            }
        }
        throw new IllegalArgumentException("state must be one of " + String.join(", ",
                java.util.Arrays.stream(TrophyState.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList()));
    }

    /** Up to {@code limit} lines with an id below {@code beforeId}, newest first. */
    public List<Line> page(ListFilter filter, long beforeId, int limit) {
        return ReadFailed.reading(() -> pageSql(filter, beforeId, limit));
    }

    List<Line> pageSql(ListFilter filter, long beforeId, int limit) throws SQLException {
        String state = stateOf(filter);
        try (Connection c = pool.getConnection()) {
            List<String> shares = new ArrayList<>();
            if (!filter.share().isEmpty()) {
                shares.add(filter.share());
            }
            if (!filter.owner().isEmpty()) {
                List<String> owned = sharesOf(c, filter.owner());
                if (owned.size() > MAX_OWNER_SHARES) {
                    throw new IllegalArgumentException(filter.owner() + " has " + owned.size()
                            + " shares; choose one of them (filter by share id)");
                }
                if (shares.isEmpty()) {
                    shares.addAll(owned);
                } else if (!owned.contains(filter.share())) {
                    return List.of(); // that share is not the owner's
                }
                if (shares.isEmpty()) {
                    return List.of();
                }
            }
            StringBuilder where = new StringBuilder(" WHERE t.id < ?");
            List<Object> args = new ArrayList<>();
            args.add(beforeId);
            boolean exactAccomplishment = !filter.accomplishment().isEmpty() && !filter.collectionOnly();
            // The walk: the index whose leading columns are the filters compared with a plain "=", in its order;
            // every other filter is compared through COALESCE, which no index serves, so no planner (H2's picks
            // by column selectivity) walks another index and sorts what it finds.
            String walk;
            if (!shares.isEmpty()) {
                walk = shares.size() == 1 ? "share" : "shares";
            } else if (exactAccomplishment) {
                walk = "accomplishment";
            } else if (!filter.reason().isEmpty()) {
                walk = "reason";
            } else {
                walk = state != null ? "state" : "id";
            }
            boolean stateInWalk = state != null && (walk.equals("accomplishment") || walk.equals("reason")
                    || walk.equals("state"));
            String order = switch (walk) {
                case "share" -> "t.share_id DESC, t.id DESC";
                case "accomplishment" -> stateInWalk ? "t.accomplishment_id DESC, t.state DESC, t.id DESC"
                        : "t.accomplishment_id DESC, t.id DESC";
                case "reason" -> stateInWalk ? "t.reason DESC, t.state DESC, t.id DESC" : "t.reason DESC, t.id DESC";
                case "state" -> "t.state DESC, t.id DESC";
                default -> "t.id DESC";
            };
            if (shares.size() == 1) {
                where.append(" AND t.share_id = ?");
                args.add(shares.get(0));
            } else if (!shares.isEmpty()) {
                where.append(" AND t.share_id IN (").append("?, ".repeat(shares.size() - 1)).append("?)");
                args.addAll(shares);
            }
            if (filter.collectionOnly()) {
                where.append(" AND COALESCE(t.accomplishment_id, '') LIKE ? ESCAPE '\\'");
                args.add(ListFilter.prefix(filter.accomplishment()));
            } else if (exactAccomplishment) {
                where.append(walk.equals("accomplishment") ? " AND t.accomplishment_id = ?"
                        : " AND COALESCE(t.accomplishment_id, '') = ?");
                args.add(filter.accomplishment());
            }
            if (!filter.reason().isEmpty()) {
                where.append(walk.equals("reason") ? " AND t.reason = ?" : " AND COALESCE(t.reason, '') = ?");
                args.add(filter.reason());
            }
            if (state != null) {
                where.append(stateInWalk ? " AND t.state = ?" : " AND COALESCE(t.state, '') = ?");
                args.add(state);
            }
            // A time range bounds the walk's ids too: a range in the past or one with few trophies stops where its
            // ids end instead of reading every later or earlier row of the walk.
            if (filter.from() != null) {
                where.append(" AND t.id >= ? AND t.first_seen_at >= ?");
                args.add(firstIdSeenFrom(c, filter.from().minus(SEEN_SLACK)));
                args.add(Timestamp.from(filter.from()));
            }
            if (filter.to() != null) {
                where.append(" AND t.id < ? AND t.first_seen_at < ?");
                args.add(firstIdSeenFrom(c, filter.to().plus(SEEN_SLACK)));
                args.add(Timestamp.from(filter.to()));
            }
            String sql = "SELECT t.id, t.share_id, s.owner, t.path, t.accomplishment_id, t.state, t.reason, t.detail, "
                    + "t.attempts, t.first_seen_at, t.updated_at, t.verdict_at, t.signed_by FROM trophy t "
                    + "JOIN share s ON s.id = t.share_id" + where + " ORDER BY " + order + " LIMIT ?";
            args.add(limit);
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setQueryTimeout(QUERY_TIMEOUT_S);
                bind(q, args);
                List<Line> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Line(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9),
                                instant(rs, 10), instant(rs, 11), instant(rs, 12), rs.getString(13)));
                    }
                }
                return out;
            }
        }
    }

    /** One share's trophies by state (lower case, every state), walking that share's part of {@code trophy_share_id}. */
    public java.util.Map<String, Long> countsOf(String shareId) {
        return ReadFailed.reading(() -> countsOfSql(shareId));
    }

    java.util.Map<String, Long> countsOfSql(String shareId) throws SQLException {
        java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (TrophyState s : TrophyState.values()) {
            counts.put(s.name().toLowerCase(Locale.ROOT), 0L);
        }
        try (Connection c = pool.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT state, COUNT(*) FROM trophy WHERE share_id = ? GROUP BY state")) {
            q.setQueryTimeout(QUERY_TIMEOUT_S);
            q.setString(1, shareId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /**
     * The lowest id from which on trophies were first seen at {@code at} or later, by a binary search over the
     * primary key (about 20 steps for a million rows, no index on the time). Ids rise with {@code first_seen_at}
     * up to {@link #SEEN_SLACK} (the time is taken just before the row is inserted; nodes' clocks agree to less),
     * so callers widen their range by it and still compare the time itself.
     */
    static long firstIdSeenFrom(Connection c, Instant at) throws SQLException {
        long lo = 0; // every id up to lo was seen before at
        long hi;     // ids from hi on were seen at or after at
        try (PreparedStatement max = c.prepareStatement("SELECT MAX(id) FROM trophy");
             ResultSet rs = max.executeQuery()) {
            hi = rs.next() ? rs.getLong(1) + 1 : 1;
        }
        try (PreparedStatement probe = c.prepareStatement(
                "SELECT id, first_seen_at FROM trophy WHERE id >= ? AND id < ? ORDER BY id LIMIT 1")) {
            while (hi - lo > 1) {
                long mid = lo + (hi - lo) / 2;
                probe.setLong(1, mid);
                probe.setLong(2, hi);
                try (ResultSet rs = probe.executeQuery()) {
                    if (!rs.next()) {
                        hi = mid; // no row in [mid, hi)
                    } else if (rs.getTimestamp(2).toInstant().isBefore(at)) {
                        lo = rs.getLong(1);
                    } else {
                        hi = rs.getLong(1);
                    }
                }
            }
        }
        return hi;
    }

    static List<String> sharesOf(Connection c, String owner) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM share WHERE owner = ? ORDER BY id LIMIT ?")) {
            q.setString(1, owner);
            q.setInt(2, MAX_OWNER_SHARES + 1);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    static void bind(PreparedStatement q, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Long l) {
                q.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                q.setInt(i + 1, n);
            } else if (a instanceof Timestamp t) {
                q.setTimestamp(i + 1, t);
            } else {
                q.setString(i + 1, (String) a);
            }
        }
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
