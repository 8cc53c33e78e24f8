package org.accomplishments.validator.issuing;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * The {@code bulk_row} table: one line of a bulk file and what became of it. {@code WILL_ISSUE} is "not started"
 * while the job applies; the award a row writes carries the job and line, so a restarted job finds it.
 */
@MappedEntity("bulk_row")
public record BulkRowRow(@Id @GeneratedValue @Nullable Long id, String jobId, long line, String who,
                         String accomplishment, String note, @Nullable String shareId, String verdict,
                         @Nullable String message, @Nullable Long issuedId) {
}
