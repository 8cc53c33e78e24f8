package org.accomplishments.validator.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UserRepository extends CrudRepository<UserRow, String> {

    List<UserRow> findAllOrderByName();

    long countByRoleAndDisabled(String role, boolean disabled);

    @Query("UPDATE app_user SET failed_logins = :failedLogins, locked_until = :lockedUntil WHERE name = :name")
    void recordFailure(String name, int failedLogins, @Nullable Instant lockedUntil);

    @Query("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE name = :name")
    void recordSuccess(String name);

    @Query("UPDATE app_user SET password_hash = :hash, password_changed_at = :at, failed_logins = 0, "
            + "locked_until = NULL WHERE name = :name")
    void changePassword(String name, String hash, Instant at);

    @Query("UPDATE app_user SET role = :role, scope = :scope, disabled = :disabled WHERE name = :name")
    void changeAccess(String name, String role, String scope, boolean disabled);

    @Query("UPDATE app_user SET locked_until = :until WHERE name = :name")
    void lock(String name, @Nullable Instant until);
}
