package org.accomplishments.validator.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** The {@code web_session} table: a browser session, keyed by the SHA-256 of its cookie value. */
@MappedEntity("web_session")
public record SessionRow(@Id String idHash, String userName, String csrf, Instant createdAt, Instant lastSeenAt,
                         Instant expiresAt) {
}
