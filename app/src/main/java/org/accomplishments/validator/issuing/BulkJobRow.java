package org.accomplishments.validator.issuing;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** The {@code bulk_job} table: one uploaded CSV file, checked, then applied. */
@MappedEntity("bulk_job")
public record BulkJobRow(@Id String id, String owner, String fileName, String state, int total,
                         @Nullable String remote, Instant createdAt, @Nullable Instant startedAt,
                         @Nullable Instant finishedAt) {
}
