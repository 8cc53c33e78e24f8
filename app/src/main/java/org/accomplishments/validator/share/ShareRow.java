package org.accomplishments.validator.share;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * The {@code share} table. {@code offerAttempts} / {@code nextOfferAt}: consecutive accepts the backend did not
 * answer, and when the offer is asked again (null: whenever a round sees it).
 */
@MappedEntity("share")
public record ShareRow(@Id String id, String backend, String owner, @Nullable String visibleName, String name,
                       String folder, String state, @Nullable String reason, Instant offeredAt,
                       @Nullable Instant decidedAt, @Nullable Instant lastScanAt, @Nullable Integer fileCount,
                       @Nullable Long byteCount, @Nullable Integer offerAttempts, @Nullable Instant nextOfferAt) {
}
