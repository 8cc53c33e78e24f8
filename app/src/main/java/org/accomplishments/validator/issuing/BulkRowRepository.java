package org.accomplishments.validator.issuing;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface BulkRowRepository extends CrudRepository<BulkRowRow, Long> {

    @Query("SELECT * FROM bulk_row WHERE job_id = :jobId ORDER BY line LIMIT :limit")
    List<BulkRowRow> firstRows(String jobId, int limit);

    /** Rows not started yet, in file order, keyset-paged by line. */
    @Query("SELECT * FROM bulk_row WHERE job_id = :jobId AND verdict = 'WILL_ISSUE' AND line > :afterLine "
            + "ORDER BY line LIMIT :limit")
    List<BulkRowRow> notStarted(String jobId, long afterLine, int limit);

    /** A row's outcome, recorded once. */
    @Query("UPDATE bulk_row SET verdict = :verdict, message = :message, issued_id = :issuedId "
            + "WHERE id = :id AND verdict = 'WILL_ISSUE'")
    long settle(long id, String verdict, @Nullable String message, @Nullable Long issuedId);
}
