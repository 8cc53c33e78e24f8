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
 * query walks from its newest end (share: {@code trophy_share_id}, accomplishment: {@code trophy_accomplishment_id},
 * reason: {@code trophy_reason_id}, state: {@code trophy_state_id}; none: the primary key); the others are checked
 * on the rows it passes. A filter that matches nothing in a large ledger can still walk far: each query has a time
 * limit, and running out of it says so instead of keeping a request thread.
 */
@Singleton
public class TrophyList {
    static final int QUERY_TIMEOUT_S = 5;
    /** An owner with more shares than this is refused: the page would be a list of shares, not of trophies. */
    static final int MAX_OWNER_SHARES = 200;

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
            String order;
            if (shares.size() == 1) {
                where.append(" AND t.share_id = ?");
                args.add(shares.get(0));
                order = "t.share_id DESC, t.id DESC";
            } else if (!shares.isEmpty()) {
                where.append(" AND t.share_id IN (").append("?, ".repeat(shares.size() - 1)).append("?)");
                args.addAll(shares);
                order = "t.id DESC";
            } else if (!filter.accomplishment().isEmpty() && !filter.collectionOnly()) {
                order = "t.accomplishment_id DESC, t.id DESC";
            } else if (!filter.reason().isEmpty()) {
                order = "t.reason DESC, t.id DESC";
            } else if (state != null) {
                order = "t.state DESC, t.id DESC";
            } else {
                order = "t.id DESC";
            }
            if (!filter.accomplishment().isEmpty()) {
                if (filter.collectionOnly()) {
                    where.append(" AND t.accomplishment_id LIKE ? ESCAPE '\\'");
                    args.add(ListFilter.prefix(filter.accomplishment()));
                } else {
                    where.append(" AND t.accomplishment_id = ?");
                    args.add(filter.accomplishment());
                }
            }
            if (!filter.reason().isEmpty()) {
                where.append(" AND t.reason = ?");
                args.add(filter.reason());
            }
            if (state != null) {
                where.append(" AND t.state = ?");
                args.add(state);
            }
            if (filter.from() != null) {
                where.append(" AND t.first_seen_at >= ?");
                args.add(Timestamp.from(filter.from()));
            }
            if (filter.to() != null) {
                where.append(" AND t.first_seen_at < ?");
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
