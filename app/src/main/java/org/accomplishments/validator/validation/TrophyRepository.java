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

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TrophyRepository extends CrudRepository<TrophyRow, Long> {

    Optional<TrophyRow> findByShareIdAndPathAndSha256(String shareId, String path, String sha256);

    List<TrophyRow> findByShareIdAndPathAndStateNotInList(String shareId, String path, Collection<String> states);

    List<TrophyRow> findByShareIdAndStateNotInList(String shareId, Collection<String> states);

    @Query("SELECT * FROM trophy WHERE state IN ('PENDING', 'WAITING', 'SIGNING', 'REJECTING') "
            + "AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now) "
            + "ORDER BY next_attempt_at, id LIMIT :limit")
    List<TrophyRow> findDue(Instant now, int limit);

    @Query("SELECT MIN(next_attempt_at) FROM trophy WHERE state IN ('PENDING', 'WAITING', 'SIGNING', 'REJECTING')")
    Optional<Instant> findNextAttemptAt();

    @Query("UPDATE trophy SET lease_owner = :owner, lease_until = :until "
            + "WHERE id = :id AND (lease_until IS NULL OR lease_until < :now)")
    long claim(long id, String owner, Instant until, Instant now);

    @Query("UPDATE trophy SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL")
    long releaseAllLeases();

    @Query("UPDATE trophy SET next_attempt_at = :now WHERE state IN ('SIGNING', 'REJECTING')")
    long resumeInterruptedWrites(Instant now);

    @Query("SELECT COUNT(*) FROM trophy WHERE share_id = :shareId AND accomplishment_id = :accomplishmentId "
            + "AND state = 'SIGNED'")
    long countSigned(String shareId, String accomplishmentId);

    @Query("UPDATE trophy SET next_attempt_at = :now WHERE share_id = :shareId AND state = 'WAITING' "
            + "AND reason = 'dependencies-unmet'")
    long wakeDependents(String shareId, Instant now);

    @Query("SELECT state, COUNT(*) AS count FROM trophy GROUP BY state")
    List<StateCount> countByState();

    Page<TrophyRow> findAll(Pageable pageable);

    Page<TrophyRow> findByShareId(String shareId, Pageable pageable);

    Page<TrophyRow> findByState(String state, Pageable pageable);

    Page<TrophyRow> findByShareIdAndState(String shareId, String state, Pageable pageable);

    @Introspected
    record StateCount(String state, long count) {
    }

    void updateNextAttemptAt(@io.micronaut.data.annotation.Id Long id, @Nullable Instant nextAttemptAt);
}
