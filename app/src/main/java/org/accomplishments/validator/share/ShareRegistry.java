package org.accomplishments.validator.share;

import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The shares this server knows of, and what was decided about each, kept in the ledger database.
 *
 * <p>A share id belongs to the folder it was first recorded with. The {@code share} row (the id is its primary key)
 * binds the two; another folder claiming the id is refused {@link #SHARE_ID_IN_USE} with a refusal row of its own
 * (unique per backend, id and folder), and the id moves to a new folder only when the folder it belongs to is gone,
 * by an update conditional on the folder it had. Every backend's offers go through here, so the rule holds for each
 * without code of its own.
 */
@Singleton
public class ShareRegistry {
    /** The reason recorded for a folder claiming a share id that belongs to another folder. */
    public static final String SHARE_ID_IN_USE = "share-id-in-use";
    private static final Logger LOG = LoggerFactory.getLogger(ShareRegistry.class);

    private final ShareRepository repository;
    private final ShareClaimRefusals refusals;
    private final Clock clock;

    public ShareRegistry(ShareRepository repository, ShareClaimRefusals refusals, Clock clock) {
        this.repository = repository;
        this.refusals = refusals;
        this.clock = clock;
    }

    public Optional<Share> find(String shareId) {
        return repository.findById(shareId).map(ShareRegistry::toShare);
    }

    /** Every share known, by id: one query for a whole offer round. */
    public java.util.Map<String, Share> all() {
        java.util.Map<String, Share> all = new java.util.HashMap<>();
        repository.findAll().forEach(row -> all.put(row.id(), toShare(row)));
        return all;
    }

    public List<Share> accepted() {
        return repository.findByState(ShareState.ACCEPTED.name()).stream().map(ShareRegistry::toShare).toList();
    }

    public long acceptedSharesOf(String owner) {
        return repository.countByOwnerAndState(owner, ShareState.ACCEPTED.name());
    }

    public long count(ShareState state) {
        return repository.countByState(state.name());
    }

    /** Refused claims on share ids in use, newest first. */
    public List<ShareClaimRefusalRow> latestClaimRefusals(int limit) {
        return refusals.latest(limit);
    }

    /** What {@link #claim} found. */
    public sealed interface Claim {
        /** The id belongs to this offer's folder (newly recorded, as before, or moved here). */
        record Held(Share share, boolean moved) implements Claim {
        }

        /** The id belongs to another folder: this one is refused {@link #SHARE_ID_IN_USE}. */
        record InUse(Share holder, boolean newlyRefused) implements Claim {
        }
    }

    /**
     * Binds the offer's folder to its share id, or says that the id belongs to another folder.
     *
     * @param folderGone whether a folder the id belongs to is gone (no longer offered, no longer on disk): only
     *                   then may the id move to this offer's folder
     */
    public Claim claim(String backend, ShareOffer offer, Predicate<Path> folderGone) {
        String folder = offer.folder().toString();
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<ShareRow> existing = repository.findById(offer.shareId());
            if (existing.isEmpty()) {
                Instant now = clock.instant();
                ShareRow row = new ShareRow(offer.shareId(), backend, offer.owner(), offer.visibleName(), offer.name(),
                        folder, ShareState.OFFERED.name(), null, now, null, null, null, null, 0, null);
                try {
                    repository.save(row);
                    return new Claim.Held(toShare(row), false);
                } catch (DataAccessException e) {
                    continue; // another round recorded the id first: the primary key decided, look again
                }
            }
            ShareRow holder = existing.get();
            if (holder.folder().equals(folder)) {
                return new Claim.Held(toShare(holder), false);
            }
            String key = folderKey(folder);
            if (refusals.existsByBackendAndShareIdAndFolderKey(backend, offer.shareId(), key)) {
                // Refused once, refused for good: a squatter's folder never inherits the id, even when the
                // folder it belongs to goes away later.
                return new Claim.InUse(toShare(holder), false);
            }
            if (folderGone.test(Path.of(holder.folder()))) {
                if (repository.move(offer.shareId(), holder.folder(), folder, offer.owner(), offer.visibleName(),
                        offer.name()) == 1) {
                    LOG.info("share {} moved from {} to {} (the old folder is gone)", offer.shareId(),
                            holder.folder(), folder);
                    return new Claim.Held(toShare(repository.findById(offer.shareId()).orElseThrow()), true);
                }
                continue; // moved or recorded meanwhile by another round: look again
            }
            return new Claim.InUse(toShare(holder), refuseClaim(backend, offer, key, holder.folder()));
        }
        throw new IllegalStateException("share " + offer.shareId() + " kept changing while its offer was recorded");
    }

    private boolean refuseClaim(String backend, ShareOffer offer, String key, String heldBy) {
        try {
            refusals.save(new ShareClaimRefusalRow(null, offer.shareId(), backend, key, offer.folder().toString(),
                    heldBy, offer.owner(), offer.visibleName(), offer.name(), SHARE_ID_IN_USE, clock.instant()));
            LOG.warn("refused folder {}: it claims share id {}, which belongs to {} ({})", offer.folder(),
                    offer.shareId(), heldBy, SHARE_ID_IN_USE);
            return true;
        } catch (DataAccessException e) {
            return false; // recorded by another round: the unique key decided
        }
    }

    /**
     * Records a decision about the offer of a folder claimed by {@link #claim}. Empty when the id no longer
     * belongs to that folder (it moved meanwhile): the decision is then about nothing and is dropped.
     */
    public Optional<Share> decide(ShareOffer offer, ShareState state, String reason) {
        int updated = repository.decide(offer.shareId(), offer.folder().toString(), state.name(), reason,
                offer.owner(), offer.visibleName(), offer.name(), clock.instant());
        return updated == 1 ? find(offer.shareId()) : Optional.empty();
    }

    /**
     * The backend did not take the offer this time: it stays offered with the reason, and is asked again after a
     * delay that doubles with each consecutive failure (kept in the row, so a restart keeps the schedule).
     *
     * @return when it is asked again, or empty when it was decided meanwhile
     */
    public Optional<Instant> offerFailed(ShareOffer offer, String reason, java.time.Duration initialDelay,
                                         java.time.Duration maxDelay) {
        Optional<ShareRow> row = repository.findById(offer.shareId());
        if (row.isEmpty() || !row.get().folder().equals(offer.folder().toString())) {
            return Optional.empty();
        }
        int attempts = (row.get().offerAttempts() == null ? 0 : row.get().offerAttempts()) + 1;
        java.time.Duration delay = initialDelay.multipliedBy(1L << Math.min(attempts - 1, 20));
        if (delay.compareTo(maxDelay) > 0 || delay.isNegative()) {
            delay = maxDelay;
        }
        Instant now = clock.instant();
        Instant next = now.plus(delay);
        return repository.offerFailed(offer.shareId(), offer.folder().toString(), reason, attempts, next, now) == 1
                ? Optional.of(next) : Optional.empty();
    }

    /** When an offered share is asked again, if it waits. */
    public Optional<Instant> nextOfferAt(String shareId) {
        return repository.findById(shareId).map(ShareRow::nextOfferAt);
    }

    public void changeState(String shareId, ShareState state, String reason) {
        repository.changeState(shareId, state.name(), reason, clock.instant());
    }

    public void scanned(String shareId, int files, long bytes) {
        repository.scanned(shareId, clock.instant(), files, bytes);
    }

    static String folderKey(String folder) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(folder.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Share toShare(ShareRow row) {
        return new Share(row.id(), row.backend(), row.owner(), row.visibleName(), row.name(), Path.of(row.folder()),
                ShareState.valueOf(row.state()), row.reason(), row.nextOfferAt());
    }
}
