package org.accomplishments.validator.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** The {@code api_token} table: a script's token, stored as its SHA-256 only. */
@MappedEntity("api_token")
public record ApiTokenRow(@Id @GeneratedValue @Nullable Long id, String tokenHash, String hint, String userName,
                          String label, String scopes, Instant createdAt, @Nullable Instant lastUsedAt,
                          @Nullable Instant revokedAt) {

    public TokenScopes tokenScopes() {
        return TokenScopes.parse(scopes);
    }
}
