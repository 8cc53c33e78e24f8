package org.accomplishments.validator.share;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ShareClaimRefusals extends CrudRepository<ShareClaimRefusalRow, Long> {
    boolean existsByBackendAndShareIdAndFolderKey(String backend, String shareId, String folderKey);

    /** The latest refusals, newest first. */
    @Query("SELECT * FROM share_claim_refusal ORDER BY refused_at DESC, id DESC LIMIT :limit")
    List<ShareClaimRefusalRow> latest(int limit);

    List<ShareClaimRefusalRow> findByShareId(String shareId);

    long count();
}
