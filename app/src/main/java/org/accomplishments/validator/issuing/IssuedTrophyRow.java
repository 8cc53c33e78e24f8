package org.accomplishments.validator.issuing;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * The {@code issued_trophy} table: a trophy a person awarded, who awarded it, and its revocation if any.
 * {@code standing} is TRUE while the award is being written or stands (issued, not revoked) and NULL otherwise: the
 * database's unique key over (share, accomplishment, standing) lets only one award stand at a time.
 */
@MappedEntity("issued_trophy")
public record IssuedTrophyRow(@Id @GeneratedValue @Nullable Long id, String shareId, String owner,
                              String accomplishmentId, String path, String trophySha256,
                              @Nullable String signedTextSha256, @Nullable String signedBy, String issuer,
                              @Nullable String note, @Nullable String evidence, String state, @Nullable String detail,
                              Instant issuedAt, @Nullable Instant revokedAt, @Nullable String revokedBy,
                              @Nullable String revokeReason, @Nullable Boolean standing,
                              @Nullable String bulkJobId, @Nullable Long bulkLine) {

    /** REVOKED: was ISSUED, then revoked (its signatures are in the revocation list); it no longer stands. */
    public enum State { WRITING, ISSUED, FAILED, REVOKED }

    public boolean revoked() {
        return revokedAt != null;
    }
}
