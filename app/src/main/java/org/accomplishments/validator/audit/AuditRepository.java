package org.accomplishments.validator.audit;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/**
 * Append-only by construction: a {@link GenericRepository} with an insert and reads, no update or delete
 * (a {@code CrudRepository} would bring {@code deleteAll}).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AuditRepository extends GenericRepository<AuditRow, Long> {

    AuditRow save(AuditRow row);

    /** Newest first, keyset-paged: the events older than {@code beforeId}. */
    @Query("SELECT * FROM audit_event WHERE id < :beforeId ORDER BY id DESC LIMIT :limit")
    List<AuditRow> page(long beforeId, int limit);

    @Query("SELECT * FROM audit_event WHERE id < :beforeId AND (actor = :who OR subject = :who) ORDER BY id DESC LIMIT :limit")
    List<AuditRow> pageOf(String who, long beforeId, int limit);
}
