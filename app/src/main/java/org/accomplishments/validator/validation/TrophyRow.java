package org.accomplishments.validator.validation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** The {@code trophy} table: one candidate trophy, keyed by (share, path, sha256). */
@MappedEntity("trophy")
public record TrophyRow(@Id @GeneratedValue @Nullable Long id, String shareId, String path, String sha256, long size,
                        @Nullable Instant modifiedAt, @Nullable String accomplishmentId, String state, int attempts,
                        int notYetCount, int errorCount, int dependencyWaits, @Nullable Instant nextAttemptAt, @Nullable String reason,
                        @Nullable String detail, @Nullable String signedBy, Instant firstSeenAt, Instant updatedAt,
                        @Nullable Instant verdictAt, @Nullable String leaseOwner, @Nullable Instant leaseUntil) {

    public TrophyState trophyState() {
        return TrophyState.valueOf(state);
    }

    /** A copy that moved on: new state and verdict fields, lease released (the worker is done with it). */
    public TrophyRow moveTo(TrophyState newState, @Nullable String newReason, @Nullable String newDetail,
                            @Nullable Instant newNextAttemptAt, Instant now) {
        return new TrophyRow(id, shareId, path, sha256, size, modifiedAt, accomplishmentId, newState.name(), attempts,
                notYetCount, errorCount, dependencyWaits, newNextAttemptAt, newReason, newDetail, signedBy, firstSeenAt, now,
                newState == TrophyState.SIGNED || newState == TrophyState.REJECTED || newState == TrophyState.IGNORED
                        ? now : verdictAt, null, null);
    }

    public TrophyRow withCounts(int newAttempts, int newNotYet, int newErrors, int newDependencyWaits) {
        return new TrophyRow(id, shareId, path, sha256, size, modifiedAt, accomplishmentId, state, newAttempts,
                newNotYet, newErrors, newDependencyWaits, nextAttemptAt, reason, detail, signedBy, firstSeenAt, updatedAt, verdictAt,
                leaseOwner, leaseUntil);
    }

    public TrophyRow withAccomplishment(@Nullable String newAccomplishmentId) {
        return new TrophyRow(id, shareId, path, sha256, size, modifiedAt, newAccomplishmentId, state, attempts,
                notYetCount, errorCount, dependencyWaits, nextAttemptAt, reason, detail, signedBy, firstSeenAt, updatedAt, verdictAt,
                leaseOwner, leaseUntil);
    }

    public TrophyRow withSignedBy(@Nullable String fingerprint) {
        return new TrophyRow(id, shareId, path, sha256, size, modifiedAt, accomplishmentId, state, attempts,
                notYetCount, errorCount, dependencyWaits, nextAttemptAt, reason, detail, fingerprint, firstSeenAt, updatedAt,
                verdictAt, leaseOwner, leaseUntil);
    }

    public TrophyRow withFile(long newSize, @Nullable Instant newModifiedAt) {
        return new TrophyRow(id, shareId, path, sha256, newSize, newModifiedAt, accomplishmentId, state, attempts,
                notYetCount, errorCount, dependencyWaits, nextAttemptAt, reason, detail, signedBy, firstSeenAt, updatedAt, verdictAt,
                leaseOwner, leaseUntil);
    }
}
