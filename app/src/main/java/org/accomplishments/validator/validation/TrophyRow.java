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
                        int notYetCount, int errorCount, int dependencyWaits, @Nullable Instant nextAttemptAt,
                        @Nullable String reason, @Nullable String detail, @Nullable String waitingFor,
                        @Nullable String signedBy, Instant firstSeenAt, Instant updatedAt,
                        @Nullable Instant verdictAt, @Nullable String leaseOwner, @Nullable Instant leaseUntil) {

    static final int MAX_DETAIL = 2000;
    static final int MAX_ACCOMPLISHMENT_ID = 300;

    public TrophyState trophyState() {
        return TrophyState.valueOf(state);
    }

    /**
     * A copy that moved on. Final and waiting states release the lease (the worker is done with the row); the
     * intermediate SIGNING and REJECTING keep it until the verdict file is written, due again when the lease ends.
     */
    public TrophyRow moveTo(TrophyState newState, @Nullable String newReason, @Nullable String newDetail,
                            @Nullable Instant newNextAttemptAt, Instant now) {
        boolean keepLease = newState == TrophyState.SIGNING || newState == TrophyState.REJECTING;
        boolean verdict = newState == TrophyState.SIGNED || newState == TrophyState.REJECTED
                || newState == TrophyState.IGNORED;
        return new TrophyRow(id, shareId, path, sha256, size, modifiedAt, accomplishmentId, newState.name(), attempts,
                notYetCount, errorCount, dependencyWaits, keepLease ? leaseUntil : newNextAttemptAt, newReason,
                clip(newDetail, MAX_DETAIL), newState == TrophyState.WAITING ? waitingFor : null, signedBy,
                firstSeenAt, now, verdict ? now : verdictAt, keepLease ? leaseOwner : null,
                keepLease ? leaseUntil : null);
    }

    public TrophyRow withCounts(int newAttempts, int newNotYet, int newErrors, int newDependencyWaits) {
        return new TrophyRow(id, shareId, path, sha256, size, modifiedAt, accomplishmentId, state, newAttempts,
                newNotYet, newErrors, newDependencyWaits, nextAttemptAt, reason, detail, waitingFor, signedBy,
                firstSeenAt, updatedAt, verdictAt, leaseOwner, leaseUntil);
    }

    public TrophyRow withAccomplishment(@Nullable String newAccomplishmentId) {
        return new TrophyRow(id, shareId, path, sha256, size, modifiedAt,
                clip(newAccomplishmentId, MAX_ACCOMPLISHMENT_ID), state, attempts, notYetCount, errorCount,
                dependencyWaits, nextAttemptAt, reason, detail, waitingFor, signedBy, firstSeenAt, updatedAt,
                verdictAt, leaseOwner, leaseUntil);
    }

    public TrophyRow withSignedBy(@Nullable String fingerprint) {
        return new TrophyRow(id, shareId, path, sha256, size, modifiedAt, accomplishmentId, state, attempts,
                notYetCount, errorCount, dependencyWaits, nextAttemptAt, reason, detail, waitingFor, fingerprint,
                firstSeenAt, updatedAt, verdictAt, leaseOwner, leaseUntil);
    }

    /** Which unsigned dependencies it waits for, so only their signing wakes it. */
    public TrophyRow withWaitingFor(@Nullable String dependencies) {
        return new TrophyRow(id, shareId, path, sha256, size, modifiedAt, accomplishmentId, state, attempts,
                notYetCount, errorCount, dependencyWaits, nextAttemptAt, reason, detail,
                clip(dependencies, MAX_DETAIL), signedBy, firstSeenAt, updatedAt, verdictAt, leaseOwner, leaseUntil);
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
