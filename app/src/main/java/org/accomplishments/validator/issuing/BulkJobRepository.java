package org.accomplishments.validator.issuing;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface BulkJobRepository extends CrudRepository<BulkJobRow, String> {

    /** Only one request (on any node) turns a checked job into an applying one. */
    @Query("UPDATE bulk_job SET state = 'APPLYING', started_at = :at, remote = :remote "
            + "WHERE id = :id AND state = 'CHECKED'")
    long startApplying(String id, Instant at, String remote);

    @Query("UPDATE bulk_job SET state = 'DONE', finished_at = :at WHERE id = :id AND state = 'APPLYING'")
    long finish(String id, Instant at);

    @Query("SELECT * FROM bulk_job WHERE state = 'APPLYING' ORDER BY created_at")
    List<BulkJobRow> findApplying();

    @Query("SELECT id FROM bulk_job WHERE state <> 'APPLYING' AND created_at < :before")
    List<String> findOlderThan(Instant before);

    @Query("DELETE FROM bulk_row WHERE job_id = :id")
    void deleteRows(String id);

    @Query("SELECT verdict, COUNT(*) AS count FROM bulk_row WHERE job_id = :id GROUP BY verdict")
    List<VerdictCount> countVerdicts(String id);

    @Introspected
    record VerdictCount(String verdict, long count) {
    }
}
