package org.accomplishments.validator.share;

import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The shares this server knows of, and what was decided about each, kept in the ledger database. */
@Singleton
public class ShareRegistry {
    private final ShareRepository repository;
    private final Clock clock;

    public ShareRegistry(ShareRepository repository, Clock clock) {
        this.repository = repository;
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

    /** Records a decision about an offer (inserting the share when it is new). */
    public Share record(String backend, ShareOffer offer, ShareState state, String reason) {
        var now = clock.instant();
        var existing = repository.findById(offer.shareId());
        ShareRow row = new ShareRow(offer.shareId(), backend, offer.owner(), offer.visibleName(), offer.name(),
                offer.folder().toString(), state.name(), reason,
                existing.map(ShareRow::offeredAt).orElse(now), now,
                existing.map(ShareRow::lastScanAt).orElse(null),
                existing.map(ShareRow::fileCount).orElse(null), existing.map(ShareRow::byteCount).orElse(null));
        if (existing.isPresent()) {
            repository.update(row);
        } else {
            repository.save(row);
        }
        return toShare(row);
    }

    public void changeState(String shareId, ShareState state, String reason) {
        repository.changeState(shareId, state.name(), reason, clock.instant());
    }

    public void scanned(String shareId, int files, long bytes) {
        repository.scanned(shareId, clock.instant(), files, bytes);
    }

    static Share toShare(ShareRow row) {
        return new Share(row.id(), row.backend(), row.owner(), row.visibleName(), row.name(), Path.of(row.folder()),
                ShareState.valueOf(row.state()), row.reason());
    }
}
