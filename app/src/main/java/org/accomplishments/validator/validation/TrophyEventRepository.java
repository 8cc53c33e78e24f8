package org.accomplishments.validator.validation;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TrophyEventRepository extends CrudRepository<TrophyEventRow, Long> {
    List<TrophyEventRow> findByTrophyIdOrderById(long trophyId);
}
