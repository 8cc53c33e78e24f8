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

    /** Completes an award that is being written (ISSUED), or gives it up (FAILED: it no longer stands). */
    @Query("UPDATE issued_trophy SET state = :state, detail = :detail, signed_text_sha256 = :signedTextSha256, "
            + "signed_by = :signedBy, standing = CASE WHEN :state = 'FAILED' THEN NULL ELSE standing END "
            + "WHERE id = :id AND state = 'WRITING'")
    long finish(long id, String state, @Nullable String detail, @Nullable String signedTextSha256,
                @Nullable String signedBy);

    @Query("UPDATE issued_trophy SET revoked_at = :at, revoked_by = :by, revoke_reason = :reason, standing = NULL, "
            + "state = 'REVOKED' WHERE id = :id AND revoked_at IS NULL AND state = 'ISSUED'")
    long revoke(long id, Instant at, String by, String reason);

    @Query("SELECT serial FROM revocation_serial WHERE id = 1")
    long revocationSerial();

    @Query("UPDATE revocation_serial SET serial = serial + 1, changed_at = :at WHERE id = 1")
    long bumpRevocationSerial(Instant at);

    /** Past a floor kept beside the key (the database was replaced): never a serial that was published before. */
    @Query("UPDATE revocation_serial SET serial = :serial, changed_at = :at WHERE id = 1 AND serial < :serial")
    long raiseRevocationSerial(long serial, Instant at);

    /** Awards a crash left half-written. */
    @Query("SELECT * FROM issued_trophy WHERE state = 'WRITING' ORDER BY id")
    List<IssuedTrophyRow> findWriting();

    /** The award standing for exactly this content at this path of a share (issued, not revoked). */
    @Query("SELECT * FROM issued_trophy WHERE share_id = :shareId AND path = :path AND trophy_sha256 = :sha256 "
            + "AND state = 'ISSUED' ORDER BY id DESC")
    List<IssuedTrophyRow> findIssuedContent(String shareId, String path, String sha256);

    /** Revoked awards of one path of a share whose trophy had exactly this content: the file we wrote for them. */
    @Query("SELECT * FROM issued_trophy WHERE share_id = :shareId AND path = :path AND trophy_sha256 = :sha256 "
            + "AND state = 'REVOKED' ORDER BY id DESC")
    List<IssuedTrophyRow> findRevokedContent(String shareId, String path, String sha256);

    /** The awards of a range of a bulk job's lines (a page of rows), by line. */
    @Query("SELECT * FROM issued_trophy WHERE bulk_job_id = :jobId AND bulk_line BETWEEN :fromLine AND :toLine "
            + "ORDER BY bulk_line, id DESC")
    List<IssuedTrophyRow> findByBulkLines(String jobId, long fromLine, long toLine);

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
