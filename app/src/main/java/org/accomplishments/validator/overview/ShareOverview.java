package org.accomplishments.validator.overview;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import org.accomplishments.validator.share.ShareRow;

import java.time.Instant;
import java.util.List;

/**
 * Read-only views of the {@code share} table for people (the dashboard, the issuing form). Lists are keyset-paged
 * so a page costs the same however many rows come before it.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ShareOverview extends GenericRepository<ShareRow, String> {

    /** Accepted shares whose owner, visible name, share name or id contains the text (case-insensitive). */
    @Query("SELECT * FROM share WHERE state = 'ACCEPTED' AND (LOWER(owner) LIKE :pattern ESCAPE '\\' "
            + "OR LOWER(COALESCE(visible_name, '')) LIKE :pattern ESCAPE '\\' OR LOWER(name) LIKE :pattern ESCAPE '\\' "
            + "OR LOWER(id) LIKE :pattern ESCAPE '\\') ORDER BY owner, id LIMIT :limit")
    List<ShareRow> search(String pattern, int limit);

    /** Shares ordered by id, those after {@code afterId}. */
    @Query("SELECT * FROM share WHERE id > :afterId ORDER BY id LIMIT :limit")
    List<ShareRow> page(String afterId, int limit);

    /** The latest decisions on offers (accepted, refused, over limit), newest first. */
    @Query("SELECT * FROM share WHERE state = :state AND decided_at IS NOT NULL AND decided_at < :before "
            + "ORDER BY decided_at DESC LIMIT :limit")
    List<ShareRow> decisions(String state, Instant before, int limit);
}
