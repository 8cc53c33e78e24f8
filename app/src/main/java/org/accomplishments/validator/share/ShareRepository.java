package org.accomplishments.validator.share;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ShareRepository extends CrudRepository<ShareRow, String> {
    List<ShareRow> findByState(String state);

    List<ShareRow> findAll();

    Page<ShareRow> findAll(Pageable pageable);

    Page<ShareRow> findByState(String state, Pageable pageable);

    long countByOwnerAndState(String owner, String state);

    long countByState(String state);

    @Query("UPDATE share SET last_scan_at = :at, file_count = :files, byte_count = :bytes WHERE id = :id")
    void scanned(String id, Instant at, int files, long bytes);

    @Query("UPDATE share SET state = :state, reason = :reason, decided_at = :at WHERE id = :id")
    void changeState(String id, String state, @Nullable String reason, Instant at);

    /** A decision about the offer of this folder; 0 rows when the id no longer belongs to this folder. */
    @Query("UPDATE share SET state = :state, reason = :reason, owner = :owner, visible_name = :visibleName, "
            + "name = :name, decided_at = :at, offer_attempts = 0, next_offer_at = NULL "
            + "WHERE id = :id AND folder = :folder")
    int decide(String id, String folder, String state, @Nullable String reason, String owner,
               @Nullable String visibleName, String name, Instant at);

    /** The backend did not take the offer (yet): asked again at {@code next}; 0 rows when decided meanwhile. */
    @Query("UPDATE share SET state = 'OFFERED', reason = :reason, decided_at = :at, offer_attempts = :attempts, "
            + "next_offer_at = :next WHERE id = :id AND folder = :folder AND state IN ('OFFERED', 'GONE')")
    int offerFailed(String id, String folder, String reason, int attempts, Instant next, Instant at);

    /**
     * The share moved to another folder: only from the folder the caller saw, so of two rounds racing to move it
     * one wins and the other sees the new folder.
     */
    @Query("UPDATE share SET folder = :folder, owner = :owner, visible_name = :visibleName, name = :name "
            + "WHERE id = :id AND folder = :oldFolder")
    int move(String id, String oldFolder, String folder, String owner, @Nullable String visibleName, String name);

    /** Shares and refused claims on their ids, as one list ordered by id then folder (the API's shares list). */
    @Query(value = "SELECT * FROM (" + LISTING + ") listing ORDER BY id, folder LIMIT :limit OFFSET :offset")
    List<ShareRow> listing(int limit, long offset);

    /** {@link #listing} of one state (refused claims are {@code REFUSED}). */
    @Query(value = "SELECT * FROM (" + LISTING + ") listing WHERE state = :state ORDER BY id, folder "
            + "LIMIT :limit OFFSET :offset")
    List<ShareRow> listing(String state, int limit, long offset);

    String LISTING = "SELECT id, backend, owner, visible_name, name, folder, state, reason, offered_at, decided_at, "
            + "last_scan_at, file_count, byte_count, offer_attempts, next_offer_at FROM share UNION ALL "
            + "SELECT share_id AS id, backend, owner, visible_name, name, folder, 'REFUSED' AS state, reason, "
            + "refused_at AS offered_at, refused_at AS decided_at, CAST(NULL AS TIMESTAMP WITH TIME ZONE) AS last_scan_at, "
            + "CAST(NULL AS INTEGER) AS file_count, CAST(NULL AS BIGINT) AS byte_count, 0 AS offer_attempts, "
            + "CAST(NULL AS TIMESTAMP WITH TIME ZONE) AS next_offer_at FROM share_claim_refusal";
}
