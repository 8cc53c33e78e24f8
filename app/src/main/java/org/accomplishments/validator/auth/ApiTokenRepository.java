package org.accomplishments.validator.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ApiTokenRepository extends CrudRepository<ApiTokenRow, Long> {

    Optional<ApiTokenRow> findByTokenHash(String tokenHash);

    List<ApiTokenRow> findByUserNameOrderById(String userName);

    List<ApiTokenRow> findAllOrderById();

    @Query("UPDATE api_token SET last_used_at = :at WHERE id = :id")
    void used(long id, Instant at);

    @Query("UPDATE api_token SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
    long revoke(long id, Instant at);

    @Query("UPDATE api_token SET revoked_at = :at WHERE user_name = :userName AND revoked_at IS NULL")
    long revokeAllOf(String userName, Instant at);
}
