package org.accomplishments.validator.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** The {@code app_user} table: one local account. */
@MappedEntity("app_user")
public record UserRow(@Id String name, String passwordHash, String role, String scope, boolean disabled,
                      int failedLogins, @Nullable Instant lockedUntil, Instant createdAt, Instant passwordChangedAt) {

    public Role userRole() {
        return Role.valueOf(role);
    }

    public IssuerScope issuerScope() {
        return IssuerScope.parse(scope);
    }
}
