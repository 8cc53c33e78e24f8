package org.accomplishments.validator.validation;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of re-validation: which rows a filter selects, and the fingerprint of the collections the
 * configuration-dependent verdicts were last brought up to date with ({@code catalog_state}, migration V6).
 * An empty string stands for "any" in a filter: PostgreSQL cannot type a bare {@code :p IS NULL}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RevalidationQueries extends GenericRepository<TrophyRow, Long> {

    @Query("SELECT id FROM trophy WHERE state IN (:states) AND (:reason = '' OR reason = :reason) "
            + "AND (:shareId = '' OR share_id = :shareId) AND (:prefix = '' OR LEFT(path, :prefixLength) = :prefix) "
            + "ORDER BY id LIMIT :limit")
    List<Long> matching(Collection<String> states, String reason, String shareId, String prefix, int prefixLength,
                        int limit);

    @Query("SELECT id FROM trophy WHERE state = 'REJECTED' AND reason IN (:reasons) ORDER BY id")
    List<Long> rejectedFor(Collection<String> reasons);

    @Query("SELECT fingerprint FROM catalog_state WHERE id = 1")
    Optional<String> recordedFingerprint();

    @Query("INSERT INTO catalog_state (id, fingerprint, accomplishments, changed_at) VALUES (1, :fingerprint, "
            + ":accomplishments, :now)")
    void recordFirstFingerprint(String fingerprint, int accomplishments, Instant now);

    /** Only the node that still saw the old fingerprint wins, so a change is acted on once. */
    @Query("UPDATE catalog_state SET fingerprint = :fingerprint, accomplishments = :accomplishments, changed_at = :now "
            + "WHERE id = 1 AND fingerprint = :previous")
    long replaceFingerprint(String previous, String fingerprint, int accomplishments, Instant now);
}
