package org.accomplishments.validator.validation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TrophyEventRepository extends CrudRepository<TrophyEventRow, Long> {
    List<TrophyEventRow> findByTrophyIdOrderById(long trophyId);

    /** A state change of one trophy, its accomplishment as the trophy row has it now (in the caller's transaction). */
    @Query("INSERT INTO trophy_event (trophy_id, at, kind, state, detail, accomplishment_id) "
            + "SELECT id, :at, :kind, :state, :detail, accomplishment_id FROM trophy WHERE id = :trophyId")
    void recordChange(long trophyId, Instant at, String kind, String state, @Nullable String detail);
}
