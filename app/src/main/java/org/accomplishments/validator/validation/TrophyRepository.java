package org.accomplishments.validator.validation;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's SQL. Every change a worker makes is conditional on holding the row's lease; every change the
 * scanner makes is conditional on the state it expects. No update is a blind overwrite of a stale copy.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TrophyRepository extends CrudRepository<TrophyRow, Long> {

    Optional<TrophyRow> findByShareIdAndPathAndSha256(String shareId, String path, String sha256);

    /** Every row ever recorded at a path of a share, closed ones included (one per content seen there). */
    List<TrophyRow> findByShareIdAndPath(String shareId, String path);

    List<TrophyRow> findByShareIdAndPathAndStateNotInList(String shareId, String path, Collection<String> states);

    List<TrophyRow> findByShareIdAndStateNotInList(String shareId, Collection<String> states);

    /*
     * Why the conditions on state are written CASE WHEN ... or COALESCE(state, '') IN: H2 takes any plain condition on
     * an indexed column as a reason to walk that index, and chose (state, ...) indexes over the primary key for
     * "id = ? AND state IN (...)": every claim read the whole backlog. Hidden in an expression, the state is checked
     * on the one row the primary key (or trophy_next_attempt, in due order) leads to. PostgreSQL plans them alike.
     */

    @Query("SELECT * FROM trophy WHERE next_attempt_at <= :now "
            + "AND COALESCE(state, '') IN ('PENDING', 'WAITING', 'SIGNING', 'REJECTING') "
            + "AND (lease_until IS NULL OR lease_until < :now) ORDER BY next_attempt_at, id LIMIT :limit")
    List<TrophyRow> findDue(Instant now, int limit);

    @Query("SELECT next_attempt_at FROM trophy WHERE next_attempt_at IS NOT NULL "
            + "AND COALESCE(state, '') IN ('PENDING', 'WAITING', 'SIGNING', 'REJECTING') "
            + "ORDER BY next_attempt_at, id LIMIT 1")
    Optional<Instant> findNextAttemptAt();

    /**
     * Takes up to {@code limit} due rows, the earliest first, for one claim token in one statement: the inner select
     * stops after {@code limit} entries of trophy_next_attempt, the update goes by primary key and checks each row
     * again (on PostgreSQL after waiting for a concurrent claim of the same row, which then no longer matches).
     * Their next attempt moves to the lease's end, when a dead worker's rows are due.
     */
    @Query("UPDATE trophy SET lease_owner = :token, lease_until = :until, next_attempt_at = :until "
            + "WHERE id IN (SELECT id FROM trophy WHERE next_attempt_at <= :now "
            + "AND COALESCE(state, '') IN ('PENDING', 'WAITING', 'SIGNING', 'REJECTING') "
            + "AND (lease_until IS NULL OR lease_until < :now) ORDER BY next_attempt_at, id LIMIT :limit) "
            + "AND (CASE WHEN state IN ('PENDING', 'WAITING', 'SIGNING', 'REJECTING') THEN next_attempt_at END) <= :now "
            + "AND (lease_until IS NULL OR lease_until < :now)")
    long claimDue(String token, Instant until, Instant now, int limit);

    /**
     * The rows one claim took: {@link #claimDue} set their next attempt to the lease's end, so the read-back walks
     * trophy_next_attempt at that one instant (the rows of this claim, and of any other claim that ended at the
     * same microsecond) and checks the token on those. No index on the token: that one was rewritten by every claim
     * and every move that ended a lease, for this read alone.
     */
    @Query("SELECT * FROM trophy WHERE next_attempt_at = :until AND lease_owner = :token ORDER BY next_attempt_at, id")
    List<TrophyRow> findClaimed(String token, Instant until);

    /** Takes one due row for one worker (by primary key); its next attempt moves to the lease's end. */
    @Query("UPDATE trophy SET lease_owner = :token, lease_until = :until, next_attempt_at = :until "
            + "WHERE id = :id "
            + "AND (CASE WHEN state IN ('PENDING', 'WAITING', 'SIGNING', 'REJECTING') THEN next_attempt_at END) <= :now "
            + "AND (lease_until IS NULL OR lease_until < :now)")
    long claim(long id, String token, Instant until, Instant now);

    @Query("UPDATE trophy SET lease_until = :until, next_attempt_at = :until WHERE id = :id AND lease_owner = :token")
    long extendLease(long id, String token, Instant until);

    /** The scanner's way to close a row (superseded, vanished): any worker's lease on it is void from now on. */
    @Query("UPDATE trophy SET state = :state, next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL, "
            + "updated_at = :now WHERE id = :id AND state NOT IN ('SUPERSEDED', 'VANISHED')")
    long close(long id, String state, Instant now);

    /** Back to PENDING from the start (a content seen before is back, or an operator asked to revalidate). */
    @Query("UPDATE trophy SET state = 'PENDING', attempts = 0, not_yet_count = 0, error_count = 0, "
            + "dependency_waits = 0, next_attempt_at = :now, reason = :reason, detail = NULL, waiting_for = NULL, "
            + "updated_at = :now, lease_owner = NULL, lease_until = NULL "
            + "WHERE id = :id AND state IN (:fromStates) AND (lease_until IS NULL OR lease_until < :now)")
    long restart(long id, Collection<String> fromStates, @Nullable String reason, Instant now);

    /** The reconciler's way to have a verdict file written again. */
    @Query("UPDATE trophy SET state = :to, next_attempt_at = :now, updated_at = :now "
            + "WHERE id = :id AND state = :from AND lease_owner IS NULL")
    long rewriteVerdict(long id, String from, String to, Instant now);

    @Query("UPDATE trophy SET size = :size, modified_at = :modifiedAt WHERE id = :id")
    long updateFile(long id, long size, Instant modifiedAt);

    /**
     * Every lease, at the start of a single node. Only the states a worker holds a row in carry one (TrophyRow.moveTo,
     * close): naming them walks the open work on trophy_due instead of every row (H2 has no index range for
     * {@code IS NOT NULL}: 40 s at start with 1,000,000 trophies under load, DashboardBenchmark's profile).
     */
    @Query("UPDATE trophy SET lease_owner = NULL, lease_until = NULL "
            + "WHERE state IN ('PENDING', 'WAITING', 'SIGNING', 'REJECTING') AND lease_owner IS NOT NULL")
    long releaseAllLeases();

    /** Work a dead process held (claimed, or between verdict and verdict file) is due at once. */
    @Query("UPDATE trophy SET next_attempt_at = :now WHERE state IN ('PENDING', 'WAITING', 'SIGNING', 'REJECTING') "
            + "AND (state IN ('SIGNING', 'REJECTING') OR lease_owner IS NOT NULL)")
    long resumeInterruptedWork(Instant now);

    @Query("SELECT COUNT(*) FROM trophy WHERE share_id = :shareId AND accomplishment_id = :accomplishmentId "
            + "AND state = 'SIGNED'")
    long countSigned(String shareId, String accomplishmentId);

    /** Wakes the rows of a share that wait for this accomplishment to be signed. */
    @Query("UPDATE trophy SET next_attempt_at = :now WHERE share_id = :shareId AND state = 'WAITING' "
            + "AND reason = 'dependencies-unmet' AND lease_owner IS NULL AND waiting_for LIKE :pattern "
            + "AND next_attempt_at > :now")
    long wakeDependents(String shareId, String pattern, Instant now);

    @Query("SELECT state, COUNT(*) AS count FROM trophy GROUP BY state")
    List<StateCount> countByState();

    Page<TrophyRow> findAll(Pageable pageable);

    Page<TrophyRow> findByShareId(String shareId, Pageable pageable);

    Page<TrophyRow> findByState(String state, Pageable pageable);

    Page<TrophyRow> findByShareIdAndState(String shareId, String state, Pageable pageable);

    @Introspected
    record StateCount(String state, long count) {
    }
}
