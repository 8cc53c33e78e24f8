package org.accomplishments.validator.overview;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import org.accomplishments.validator.validation.TrophyRow;

import java.time.Instant;
import java.util.List;

/**
 * Read-only, keyset-paged views of the ledger for the dashboard. Each query walks an index from one end
 * ({@code trophy} primary key, {@code trophy_state_id}, {@code trophy_verdict_at}, {@code trophy_due}), so a page
 * costs the same with a thousand rows or a million, and never counts the table.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LedgerOverview extends GenericRepository<TrophyRow, Long> {

    @Query("SELECT * FROM trophy WHERE id < :beforeId ORDER BY id DESC LIMIT :limit")
    List<TrophyRow> newest(long beforeId, int limit);

    @Query("SELECT * FROM trophy WHERE state = :state AND id < :beforeId ORDER BY state DESC, id DESC LIMIT :limit")
    List<TrophyRow> newestIn(String state, long beforeId, int limit);

    @Query("SELECT * FROM trophy WHERE share_id = :shareId AND id < :beforeId ORDER BY id DESC LIMIT :limit")
    List<TrophyRow> newestOf(String shareId, long beforeId, int limit);

    /** Verdicts (signed, rejected, ignored), most recent first. */
    @Query("SELECT * FROM trophy WHERE verdict_at IS NOT NULL AND verdict_at < :before "
            + "ORDER BY verdict_at DESC LIMIT :limit")
    List<TrophyRow> recentVerdicts(Instant before, int limit);

    /** Waiting trophies by their next attempt, soonest first. */
    @Query("SELECT * FROM trophy WHERE state = 'WAITING' AND next_attempt_at > :after "
            + "ORDER BY state, next_attempt_at LIMIT :limit")
    List<TrophyRow> waiting(Instant after, int limit);
}
