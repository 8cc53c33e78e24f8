package org.accomplishments.validator.share;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** The {@code share_claim_refusal} table: a folder refused because the share id it claims belongs to another. */
@MappedEntity("share_claim_refusal")
public record ShareClaimRefusalRow(@Id @GeneratedValue @Nullable Long id, String shareId, String backend,
                                   String folderKey, String folder, String heldBy, String owner,
                                   @Nullable String visibleName, String name, String reason, Instant refusedAt) {
}
