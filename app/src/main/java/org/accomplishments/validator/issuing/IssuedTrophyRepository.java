package org.accomplishments.validator.issuing;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface IssuedTrophyRepository extends CrudRepository<IssuedTrophyRow, Long> {

    @Query("SELECT * FROM issued_trophy WHERE share_id = :shareId AND accomplishment_id = :accomplishmentId "
            + "AND state <> 'FAILED' AND revoked_at IS NULL")
    List<IssuedTrophyRow> findStanding(String shareId, String accomplishmentId);

    @Query("UPDATE issued_trophy SET state = :state, detail = :detail, signed_text_sha256 = :signedTextSha256, "
            + "signed_by = :signedBy WHERE id = :id")
    void finish(long id, String state, @Nullable String detail, @Nullable String signedTextSha256,
                @Nullable String signedBy);

    @Query("UPDATE issued_trophy SET revoked_at = :at, revoked_by = :by, revoke_reason = :reason "
            + "WHERE id = :id AND revoked_at IS NULL AND state = 'ISSUED'")
    long revoke(long id, Instant at, String by, String reason);

    /** Newest first, keyset-paged. */
    @Query("SELECT * FROM issued_trophy WHERE id < :beforeId ORDER BY id DESC LIMIT :limit")
    List<IssuedTrophyRow> page(long beforeId, int limit);

    @Query("SELECT * FROM issued_trophy WHERE revoked_at IS NOT NULL AND signed_text_sha256 IS NOT NULL ORDER BY id")
    List<IssuedTrophyRow> findRevoked();

    @Query("SELECT COUNT(*) FROM issued_trophy WHERE revoked_at IS NOT NULL")
    long countRevoked();

    @Query("SELECT * FROM issued_trophy WHERE revoked_at IS NOT NULL ORDER BY revoked_at DESC LIMIT :limit")
    List<IssuedTrophyRow> recentRevocations(int limit);

    @Query("SELECT * FROM issued_trophy WHERE share_id = :shareId AND path = :path ORDER BY id DESC")
    List<IssuedTrophyRow> findByShareIdAndPathOrderByIdDesc(String shareId, String path);
}
