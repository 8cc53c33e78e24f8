package org.accomplishments.validator.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** The {@code audit_event} table: one thing a person (or a token) did, or tried to do. */
@MappedEntity("audit_event")
public record AuditRow(@Id @GeneratedValue @Nullable Long id, Instant at, String actor, String action,
                       @Nullable String subject, @Nullable String detail, @Nullable String remote) {
}
