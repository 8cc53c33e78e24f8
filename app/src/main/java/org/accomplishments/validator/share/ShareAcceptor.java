package org.accomplishments.validator.share;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Takes share offers from the backend and accepts those the policy allows. Runs on the offer timer and whenever
 * the backend reports a new offer; a decision is recorded once, so running it again costs one listing.
 *
 * <p>Every claim of a share id goes through {@link ShareRegistry#claim}: a folder claiming an id that belongs to
 * another folder is refused {@value ShareRegistry#SHARE_ID_IN_USE}, whatever the order the backend listed them in.
 *
 * <p>Accepts are sent all at once and answered each on its own ({@link ShareBackend#acceptAsync}): a round waits at
 * most {@code validator.shares.offers.round-wait} for them, later answers are recorded as they arrive, and an offer
 * the backend did not take is asked again on its own back-off schedule, kept in its row. So one offer nobody
 * answers delays only itself, never the offers behind it nor the next round.
 */
@Singleton
public class ShareAcceptor {
    private static final Logger LOG = LoggerFactory.getLogger(ShareAcceptor.class);

    /** What the acceptor reports outside a round. */
    public interface Listener {
        /** An accept answered after its round had returned: the share is accepted now. */
        void acceptedLater(Share share);

        /** An offer's retry time has come: a round should run. */
        void offerDue();
    }

    private final ShareBackend backend;
    private final ShareRegistry registry;
    private final AcceptancePolicy policy;
    private final OfferSettings settings;
    private final Clock clock;
    private volatile Listener listener = new Listener() {
        @Override
        public void acceptedLater(Share share) {
        }

        @Override
        public void offerDue() {
        }
    };
    /** Accepts sent and not yet recorded, by share id (with the owner, for max-shares-per-owner). */
    private final Map<String, Launch> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService recorder = Executors.newFixedThreadPool(2, daemon("share-offer-answers"));
    private final ScheduledExecutorService wakeUps = Executors.newSingleThreadScheduledExecutor(daemon("share-offer-retries"));
    private final AtomicReference<Instant> nextWake = new AtomicReference<>();
    /** Accepts decided but not sent: at most max-in-flight wait for answers at once, the others queue here. */
    private final java.util.Queue<Runnable> toSend = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger sending = new java.util.concurrent.atomic.AtomicInteger();

    public ShareAcceptor(ShareBackend backend, ShareRegistry registry, AcceptancePolicy policy, OfferSettings settings,
                         Clock clock) {
        this.backend = backend;
        this.registry = registry;
        this.policy = policy;
        this.settings = settings;
        this.clock = clock;
    }

    public void listen(Listener listener) {
        this.listener = listener;
    }

    /** What one round decided: newly accepted (or moved) shares, refusals, ids no longer offered. */
    public record Round(List<Share> accepted, List<Share> refused, List<String> gone) {
    }

    private record Launch(ShareOffer offer, CompletableFuture<Share> recorded, AtomicBoolean reported) {
    }

    /** How many offers are sent and not answered yet. */
    public int inFlight() {
        return inFlight.size();
    }

    public Round acceptOffers() throws ShareBackendException {
        List<Share> accepted = new ArrayList<>();
        List<Share> refused = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        List<Launch> launches = new ArrayList<>();
        synchronized (this) {
            plan(accepted, refused, gone, launches);
        }
        long deadline = System.nanoTime() + settings.getRoundWait().toNanos();
        for (Launch launch : launches) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                launch.recorded().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // not answered yet (recorded when it is), or its recording failed (the next round tries again)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Launch launch : launches) {
            if (launch.recorded().isDone() && !launch.recorded().isCompletedExceptionally()
                    && launch.reported().compareAndSet(false, true)) {
                Share share = launch.recorded().join();
                if (share != null) {
                    (share.accepted() ? accepted : refused).add(share);
                }
            }
        }
        return new Round(accepted, refused, gone);
    }

    private void plan(List<Share> accepted, List<Share> refused, List<String> gone, List<Launch> launches)
            throws ShareBackendException {
        List<ShareOffer> offers = backend.offers();
        Map<String, Share> knownShares = registry.all();
        Map<String, List<ShareOffer>> claimants = new LinkedHashMap<>();
        Set<Path> listed = new HashSet<>();
        for (ShareOffer offer : offers) {
            claimants.computeIfAbsent(offer.shareId(), id -> new ArrayList<>()).add(offer);
            listed.add(offer.folder());
        }
        // The id moves only when the folder it belongs to is neither offered any more nor on disk.
        Predicate<Path> folderGone = folder -> !listed.contains(folder) && !Files.exists(folder, LinkOption.NOFOLLOW_LINKS);
        Set<String> held = new HashSet<>();
        Instant now = clock.instant();
        Instant earliestWaiting = null;
        for (Map.Entry<String, List<ShareOffer>> entry : claimants.entrySet()) {
            Share known = knownShares.get(entry.getKey());
            List<ShareOffer> byClaim = new ArrayList<>(entry.getValue());
            // The folder the id belongs to first, then the others in name order: the listing's order decides nothing.
            byClaim.sort(Comparator.<ShareOffer, Boolean>comparing(o -> known == null || !o.folder().equals(known.folder()))
                    .thenComparing(o -> o.folder().toString()));
            for (ShareOffer offer : byClaim) {
                MDC.put("share", offer.shareId());
                try {
                    ShareRegistry.Claim claim = known != null && known.folder().equals(offer.folder())
                            ? new ShareRegistry.Claim.Held(known, false) // as recorded: no query needed
                            : registry.claim(backend.name(), offer, folderGone);
                    if (claim instanceof ShareRegistry.Claim.InUse inUse) {
                        if (inUse.newlyRefused()) {
                            refused.add(new Share(offer.shareId(), backend.name(), offer.owner(), offer.visibleName(),
                                    offer.name(), offer.folder(), ShareState.REFUSED, ShareRegistry.SHARE_ID_IN_USE));
                        }
                        continue;
                    }
                    ShareRegistry.Claim.Held claimed = (ShareRegistry.Claim.Held) claim;
                    Share share = claimed.share();
                    held.add(share.id());
                    if (share.accepted()) {
                        if (claimed.moved()) {
                            backend.follow(share);
                            accepted.add(share);
                        }
                        continue;
                    }
                    if (share.state() != ShareState.OFFERED && share.state() != ShareState.GONE) {
                        continue; // decided before
                    }
                    if (inFlight.containsKey(share.id())) {
                        continue; // asked, the answer has not come yet
                    }
                    if (share.state() == ShareState.OFFERED && share.nextOfferAt() != null
                            && share.nextOfferAt().isAfter(now)) {
                        earliestWaiting = earliestWaiting == null || share.nextOfferAt().isBefore(earliestWaiting)
                                ? share.nextOfferAt() : earliestWaiting;
                        continue; // backing off
                    }
                    decide(offer, refused, launches);
                } finally {
                    MDC.remove("share");
                }
            }
        }
        for (Share share : knownShares.values()) {
            if (share.accepted() && !held.contains(share.id())) {
                registry.changeState(share.id(), ShareState.GONE, "no longer offered by the " + backend.name() + " backend");
                LOG.info("share {} is no longer offered; marked gone", share.id());
                gone.add(share.id());
            }
        }
        if (earliestWaiting != null) {
            wakeAt(earliestWaiting);
        }
    }

    private void decide(ShareOffer offer, List<Share> refused, List<Launch> launches) throws ShareBackendException {
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
        long sentForOwner = inFlight.values().stream().filter(l -> l.offer().owner().equals(offer.owner())).count();
        AcceptancePolicy.Decision decision = policy.decide(offer, registry.acceptedSharesOf(offer.owner()) + sentForOwner,
                files, bytes, truncated);
        if (decision instanceof AcceptancePolicy.Decision.Refuse refuse) {
            backend.decline(offer);
            LOG.info("refused share offer {} from {}: {}", offer.shareId(), offer.owner(), refuse.reason());
            registry.decide(offer, ShareState.REFUSED, refuse.reason()).ifPresent(refused::add);
            return;
        }
        Launch launch = new Launch(offer, new CompletableFuture<>(), new AtomicBoolean());
        if (inFlight.putIfAbsent(offer.shareId(), launch) != null) {
            return;
        }
        launches.add(launch);
        toSend.add(() -> send(offer, launch));
        sendQueued();
    }

    /**
     * Sends queued accepts while fewer than max-in-flight wait for answers. A peer flooded with a thousand accepts
     * at once would answer none in time; a bounded window keeps answers prompt, and one offer nobody answers holds
     * one place in it for its answer timeout only.
     */
    private void sendQueued() {
        while (true) {
            int now = sending.get();
            if (now >= settings.getMaxInFlight()) {
                return;
            }
            if (!sending.compareAndSet(now, now + 1)) {
                continue;
            }
            Runnable next = toSend.poll();
            if (next == null) {
                sending.decrementAndGet();
                if (toSend.isEmpty()) {
                    return;
                }
                continue;
            }
            next.run();
        }
    }

    private void send(ShareOffer offer, Launch launch) {
        CompletionStage<AcceptOutcome> answer;
        try {
            answer = backend.acceptAsync(offer);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.handleAsync((outcome, error) -> settle(offer, outcome, error), recorder).whenComplete((share, error) -> {
            inFlight.remove(offer.shareId(), launch);
            sending.decrementAndGet();
            recorder.execute(this::sendQueued);
            if (error != null) {
                LOG.warn("recording the answer to share offer {} failed: {}; the next round asks again",
                        offer.shareId(), error.toString());
                launch.recorded().completeExceptionally(error);
                return;
            }
            launch.recorded().complete(share);
            if (share != null && share.accepted() && launch.reported().compareAndSet(false, true)) {
                listener.acceptedLater(share);
            }
        });
    }

    /** Records what the backend answered to one accept. */
    private Share settle(ShareOffer offer, AcceptOutcome outcome, Throwable error) {
        MDC.put("share", offer.shareId());
        try {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                outcome = new AcceptOutcome.Failed("accepting failed: " + cause.getMessage(), true);
            }
            if (outcome instanceof AcceptOutcome.Failed failed) {
                LOG.info("share offer {} from {} could not be accepted: {}", offer.shareId(), offer.owner(),
                        failed.reason());
                if (!failed.retryable()) {
                    return registry.decide(offer, ShareState.REFUSED, failed.reason()).orElse(null);
                }
                registry.offerFailed(offer, failed.reason(), settings.getRetryInitialDelay(), settings.getRetryMaxDelay())
                        .ifPresent(this::wakeAt);
                return registry.find(offer.shareId()).orElse(null);
            }
            LOG.info("accepted share {} ('{}') from {}", offer.shareId(), offer.name(), offer.owner());
            return registry.decide(offer, ShareState.ACCEPTED, null).orElse(null);
        } finally {
            MDC.remove("share");
        }
    }

    /** Makes a round run when the earliest waiting offer is due (one wake-up at a time, the earliest). */
    private void wakeAt(Instant at) {
        Instant current = nextWake.get();
        Instant now = clock.instant();
        if (current != null && current.isAfter(now) && !current.isAfter(at)) {
            return; // an earlier wake-up is already set; its round sets the next one
        }
        if (!nextWake.compareAndSet(current, at)) {
            return;
        }
        long delay = Math.max(0, Duration.between(now, at).toMillis()) + 10;
        try {
            wakeUps.schedule(() -> {
                nextWake.compareAndSet(at, null);
                listener.offerDue();
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    @PreDestroy
    public void close() {
        wakeUps.shutdownNow();
        recorder.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
