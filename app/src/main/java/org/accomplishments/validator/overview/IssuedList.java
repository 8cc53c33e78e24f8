package org.accomplishments.validator.overview;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Awards people made, filtered, newest first, keyset-paged by id (indexes {@code issued_trophy_owner},
 * {@code issued_trophy_share}, {@code issued_trophy_accomplishment}, {@code issued_trophy_state}). State is
 * writing, issued, failed or revoked; a revoked award is revoked whether its row says REVOKED or, from before that
 * state existed, ISSUED with a revocation date. Reason: contained in the revocation reason (case-insensitive).
 * The time range is over the award's time.
 */
@Singleton
public class IssuedList {
    public static final List<String> STATES = List.of("writing", "issued", "failed", "revoked");

    private final DataSource pool;

    public IssuedList(DataSource dataSource) {
        this.pool = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    public record Line(long id, String shareId, String owner, String accomplishmentId, String issuer,
                       @Nullable String note, @Nullable String evidence, String state, Instant issuedAt,
                       @Nullable Instant revokedAt, @Nullable String revokedBy, @Nullable String revokeReason) {
    }

    public List<Line> page(ListFilter filter, long beforeId, int limit) {
        return ReadFailed.reading(() -> pageSql(filter, beforeId, limit));
    }

    List<Line> pageSql(ListFilter filter, long beforeId, int limit) throws SQLException {
        if (!filter.state().isEmpty() && !STATES.contains(filter.state())) {
            throw new IllegalArgumentException("state must be one of " + String.join(", ", STATES));
        }
        StringBuilder where = new StringBuilder(" WHERE id < ?");
        List<Object> args = new ArrayList<>();
        args.add(beforeId);
        String order = "id DESC";
        if (!filter.share().isEmpty()) {
            where.append(" AND share_id = ?");
            args.add(filter.share());
        }
        if (!filter.owner().isEmpty()) {
            where.append(" AND owner = ?");
            args.add(filter.owner());
            order = "owner DESC, id DESC";
        }
        if (!filter.accomplishment().isEmpty()) {
            if (filter.collectionOnly()) {
                where.append(" AND accomplishment_id LIKE ? ESCAPE '\\'");
                args.add(ListFilter.prefix(filter.accomplishment()));
            } else {
                where.append(" AND accomplishment_id = ?");
                args.add(filter.accomplishment());
                if (filter.owner().isEmpty()) {
                    order = "accomplishment_id DESC, id DESC";
                }
            }
        }
        switch (filter.state()) {
            case "revoked" -> where.append(" AND (state = 'REVOKED' OR revoked_at IS NOT NULL)");
            case "issued" -> where.append(" AND state = 'ISSUED' AND revoked_at IS NULL");
            case "" -> { }
            default -> {
                where.append(" AND state = ?");
                args.add(filter.state().toUpperCase(java.util.Locale.ROOT));
            }
        }
        if (!filter.reason().isEmpty()) {
            where.append(" AND LOWER(revoke_reason) LIKE ? ESCAPE '\\'");
            args.add(ListFilter.contains(filter.reason()));
        }
        if (filter.from() != null) {
            where.append(" AND issued_at >= ?");
            args.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            where.append(" AND issued_at < ?");
            args.add(Timestamp.from(filter.to()));
        }
        args.add(limit);
        try (Connection c = pool.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT id, share_id, owner, accomplishment_id, issuer, note, "
                     + "evidence, state, issued_at, revoked_at, revoked_by, revoke_reason FROM issued_trophy" + where
                     + " ORDER BY " + order + " LIMIT ?")) {
            q.setQueryTimeout(TrophyList.QUERY_TIMEOUT_S);
            TrophyList.bind(q, args);
            List<Line> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Instant revokedAt = TrophyList.instant(rs, 10);
                    String state = revokedAt != null ? "revoked" : rs.getString(8).toLowerCase(java.util.Locale.ROOT);
                    out.add(new Line(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), state, TrophyList.instant(rs, 9), revokedAt,
                            rs.getString(11), rs.getString(12)));
                }
            }
            return out;
        }
    }
}
