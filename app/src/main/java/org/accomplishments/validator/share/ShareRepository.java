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
}
