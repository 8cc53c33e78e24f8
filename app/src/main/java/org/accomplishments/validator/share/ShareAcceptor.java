package org.accomplishments.validator.share;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Takes share offers from the backend and accepts those the policy allows. Runs on the offer timer and whenever
 * the backend reports a new offer; a decision is recorded once, so running it again costs one listing.
 */
@Singleton
public class ShareAcceptor {
    private static final Logger LOG = LoggerFactory.getLogger(ShareAcceptor.class);

    private final ShareBackend backend;
    private final ShareRegistry registry;
    private final AcceptancePolicy policy;

    public ShareAcceptor(ShareBackend backend, ShareRegistry registry, AcceptancePolicy policy) {
        this.backend = backend;
        this.registry = registry;
        this.policy = policy;
    }

    /** What one round decided: newly accepted (or moved) shares, refusals, ids no longer offered. */
    public record Round(List<Share> accepted, List<Share> refused, List<String> gone) {
    }

    public synchronized Round acceptOffers() throws ShareBackendException {
        List<ShareOffer> offers = backend.offers();
        java.util.Map<String, Share> knownShares = registry.all();
        List<Share> accepted = new java.util.ArrayList<>();
        List<Share> refused = new java.util.ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ShareOffer offer : offers) {
            if (!seen.add(offer.shareId())) {
                LOG.warn("two shares claim the id {}; only the first ({}) is considered", offer.shareId(),
                        offer.folder());
                continue;
            }
            Optional<Share> known = Optional.ofNullable(knownShares.get(offer.shareId()));
            if (known.isPresent() && known.get().accepted() && !known.get().folder().equals(offer.folder())) {
                // Same share id, new folder (a renamed directory, a new visible name): follow it there.
                LOG.info("share {} moved from {} to {}", offer.shareId(), known.get().folder(), offer.folder());
                Share moved = registry.record(backend.name(), offer, ShareState.ACCEPTED, null);
                backend.follow(moved);
                accepted.add(moved);
                continue;
            }
            if (known.isPresent() && known.get().state() != ShareState.OFFERED && known.get().state() != ShareState.GONE) {
                continue; // decided before
            }
            MDC.put("share", offer.shareId());
            try {
                Share share = decide(offer);
                (share.accepted() ? accepted : refused).add(share);
            } finally {
                MDC.remove("share");
            }
        }
        List<String> gone = new java.util.ArrayList<>();
        for (Share share : knownShares.values()) {
            if (share.accepted() && !seen.contains(share.id())) {
                registry.changeState(share.id(), ShareState.GONE, "no longer offered by the " + backend.name() + " backend");
                LOG.info("share {} is no longer offered; marked gone", share.id());
                gone.add(share.id());
            }
        }
        return new Round(accepted, refused, gone);
    }

    private Share decide(ShareOffer offer) throws ShareBackendException {
        int files = 0;
        long bytes = 0;
        boolean truncated = false;
        if (Files.isDirectory(offer.folder(), LinkOption.NOFOLLOW_LINKS)) {
            try {
                ShareFolder.Listing listing = new ShareFolder(offer.folder()).list(policy.maxFilesPerShare() + 1);
                files = listing.regularFiles();
                bytes = listing.regularBytes();
                truncated = listing.truncated();
            } catch (IOException e) {
                LOG.warn("cannot list offered share folder {}: {}", offer.folder(), e.getMessage());
            }
        }
        AcceptancePolicy.Decision decision = policy.decide(offer, registry.acceptedSharesOf(offer.owner()), files,
                bytes, truncated);
        if (decision instanceof AcceptancePolicy.Decision.Refuse refuse) {
            backend.decline(offer);
            LOG.info("refused share offer {} from {}: {}", offer.shareId(), offer.owner(), refuse.reason());
            return registry.record(backend.name(), offer, ShareState.REFUSED, refuse.reason());
        }
        AcceptOutcome outcome = backend.accept(offer);
        if (outcome instanceof AcceptOutcome.Failed failed) {
            LOG.info("share offer {} from {} could not be accepted: {}", offer.shareId(), offer.owner(), failed.reason());
            return registry.record(backend.name(), offer, failed.retryable() ? ShareState.OFFERED : ShareState.REFUSED,
                    failed.reason());
        }
        LOG.info("accepted share {} ('{}') from {}", offer.shareId(), offer.name(), offer.owner());
        return registry.record(backend.name(), offer, ShareState.ACCEPTED, null);
    }
}
