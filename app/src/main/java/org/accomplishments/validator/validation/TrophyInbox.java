package org.accomplishments.validator.validation;

import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.accomplishments.validator.share.AcceptancePolicy;
import org.accomplishments.validator.share.BlockedReadException;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.share.ShareAcceptor;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareBackendException;
import org.accomplishments.validator.share.ShareEvents;
import org.accomplishments.validator.share.ShareFolder;
import org.accomplishments.validator.share.ShareRegistry;
import org.accomplishments.validator.share.ShareSettings;
import org.accomplishments.validator.share.ShareState;
import org.accomplishments.validator.trophy.TrophyRejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Finds candidate trophies: lists each accepted share, hashes every {@code .trophy} whose size or modification
 * time changed since it was last seen, and records new contents in the ledger. Also reconciles the ledger with the
 * disk: a verdict file that went missing is written again, a trophy that went missing is marked vanished.
 *
 * <p>Backend events only make this faster; the rescan timer calls {@link #rescanAll()} regardless.
 */
@Singleton
public class TrophyInbox implements ShareEvents {
    private static final Logger LOG = LoggerFactory.getLogger(TrophyInbox.class);
    /** The digest recorded for an entry whose bytes were not read (a link, a FIFO, a file over the size limit). */
    public static final String UNREAD = "0".repeat(64);
    private static final Duration STALE_TEMPORARY = Duration.ofMinutes(10);
    private static final Instant PROCESS_STARTED =
            Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
    /**
     * Every this many timer rescans, every share is listed and reconciled with the ledger, changed or not; in between
     * a timer rescan skips a share whose folders' mtimes are those of its last listing (see {@link Stamp}).
     */
    private static final int FULL_RECONCILE_EVERY = 10;
    /** A directory mtime this close to its listing may hide a change made later within the same timestamp tick. */
    private static final Duration RACY_MTIME = Duration.ofSeconds(2);
    /**
     * A share's new contents are recorded this many to a transaction. One, as before issue 12's batching: with 200,
     * CrashSafetyIT once found the embedded H2 refusing to start after a kill -9 mid-burst ("Row not found when
     * trying to delete from index trophy_accomplishment_id"), and a larger open transaction at the kill is the
     * change that run had. Until that is understood, no transaction here is longer than one trophy's.
     */
    private static final int DISCOVERIES_PER_TRANSACTION = 1;
    /** Syncthing names the losing side of a conflict {@code <name>.sync-conflict-<date>-<time>-<device><ext>}. */
    private static final String CONFLICT_COPY = ".sync-conflict-";

    private final ShareBackend backend;
    private final ShareRegistry registry;
    private final ShareAcceptor acceptor;
    private final TrophyLedger ledger;
    private final AcceptancePolicy policy;
    private final ShareSettings settings;
    private final Provider<ValidationPipeline> pipeline;
    private final VerdictWriter verdicts;
    private final Map<String, Object> shareLocks = new ConcurrentHashMap<>();
    private final Map<String, Stamp> stamps = new ConcurrentHashMap<>();
    private final Set<String> cleanedTemporaries = ConcurrentHashMap.newKeySet();
    private final Set<String> pendingScans = new LinkedHashSet<>();
    private final ExecutorService eventWorker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "share-scans");
        t.setDaemon(true);
        return t;
    });
    /** Offer rounds run here, never on the scan worker: file events never wait behind offer handling. */
    private final ExecutorService offerWorker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "share-offers");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicBoolean offerRoundQueued =
            new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean startupClean = true;
    private final java.util.concurrent.atomic.AtomicInteger rescans = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Instant lastFullScan;
    private volatile Duration lastFullScanTook;

    private record Seen(long size, Instant modified) {
    }

    /**
     * What a share looked like at its last listing: a digest of the listing (equal digests: nothing to record or
     * reconcile) and the mtimes of the share folder and its collection folders, each read before that folder's
     * entries were (null when one was too fresh to trust: a change later in the same timestamp tick would not move
     * it).
     *
     * <p>Why a timer rescan may skip a share whose folder mtimes are unchanged: creating, removing or renaming an
     * entry changes its directory's mtime, so a new, replaced (sync tools write a temporary file and rename it),
     * moved or deleted trophy or verdict file is seen at the next tick. What it does not see is a file rewritten in
     * place (same name, new bytes) or a directory mtime set back by hand. Those are found by the file events when
     * they are on (a {@code .trophy} modified in a collection folder makes its share dirty), and in any case by the
     * full pass every {@link #FULL_RECONCILE_EVERY}-th timer rescan, which lists and reconciles every share: 20 minutes
     * at the default 2-minute interval. Event scans, newly accepted shares, the rescan after lost events (overflow) or
     * a pause for disk space, and {@code POST /api/shares/rescan} never skip; they list every share, and one whose
     * listing (names, sizes, mtimes) equals the last one needs nothing more.
     */
    private record Stamp(long fingerprint, String[] dirs, long[] modified) {
        static Stamp of(long fingerprint, ShareFolder.Listing listing, Instant listStarted) {
            List<String> dirs = new java.util.ArrayList<>();
            List<Instant> times = new java.util.ArrayList<>();
            dirs.add("");
            times.add(listing.rootModified());
            for (ShareFolder.Entry e : listing.entries()) {
                if (e.kind() == ShareFolder.Kind.DIRECTORY && e.path().indexOf('/') < 0) {
                    dirs.add(e.path());
                    times.add(e.modified());
                }
            }
            Instant racy = listStarted.minus(RACY_MTIME);
            long[] modified = new long[times.size()];
            for (int i = 0; i < modified.length; i++) {
                Instant t = times.get(i);
                if (t == null || !t.isBefore(racy)) {
                    return new Stamp(fingerprint, null, null);
                }
                modified[i] = nanos(t);
            }
            return new Stamp(fingerprint, dirs.toArray(String[]::new), modified);
        }

        /** Whether every folder still has the mtime of the last listing (one lstat each; false when unsure). */
        boolean unchanged(ShareFolder folder) {
            if (dirs == null) {
                return false;
            }
            for (int i = 0; i < dirs.length; i++) {
                Instant now = folder.directoryModified(dirs[i]);
                if (now == null || nanos(now) != modified[i]) {
                    return false;
                }
            }
            return true;
        }

        private static long nanos(Instant t) {
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        }
    }

    public TrophyInbox(ShareBackend backend, ShareRegistry registry, ShareAcceptor acceptor, TrophyLedger ledger,
                       AcceptancePolicy policy, ShareSettings settings, Provider<ValidationPipeline> pipeline,
                       VerdictWriter verdicts) {
        this.backend = backend;
        this.registry = registry;
        this.acceptor = acceptor;
        this.ledger = ledger;
        this.policy = policy;
        this.settings = settings;
        this.pipeline = pipeline;
        this.verdicts = verdicts;
        acceptor.listen(new ShareAcceptor.Listener() {
            @Override
            public void acceptedLater(Share share) {
                forget(share.id());
                shareChanged(share.id(), null); // scanned on the scan worker, like any event
            }

            @Override
            public void offerDue() {
                offersChanged();
            }
        });
    }

    /** On a clustered database another node may be mid-write: only then are fresh temporaries left alone. */
    public void setStartupClean(boolean clean) {
        this.startupClean = clean;
    }

    public Optional<Instant> lastFullScan() {
        return Optional.ofNullable(lastFullScan);
    }

    public Optional<Duration> lastFullScanTook() {
        return Optional.ofNullable(lastFullScanTook);
    }

    /** Accepts what the policy allows and scans newly accepted shares at once. */
    public ShareAcceptor.Round acceptOffers() throws ShareBackendException {
        ShareAcceptor.Round round = acceptor.acceptOffers();
        round.gone().forEach(this::forget);
        for (Share share : round.accepted()) {
            forget(share.id()); // accepted again, maybe moved: look at everything afresh
            scan(share);
        }
        return round;
    }

    /** What a rescan found: shares looked at, of them skipped unchanged (see {@link Stamp}), new candidates. */
    public record Summary(int shares, int newCandidates, Duration took, int skipped) {
    }

    /**
     * The timer's rescan: lists every share whose folders changed; at every tenth call lists every share and
     * reconciles each with the ledger, changed or not.
     */
    public Summary rescanAll() {
        boolean reconcileAll = rescans.incrementAndGet() % FULL_RECONCILE_EVERY == 0;
        if (reconcileAll) {
            stamps.clear(); // no share is skipped, and none is taken as unchanged: each is reconciled
        }
        return rescanAll(reconcileAll);
    }

    /**
     * Rescans every accepted share.
     *
     * @param full list every share; otherwise a share whose folders' mtimes are those of its last listing is skipped
     *             ({@link Stamp} says why that is safe). Either way a listing equal to the last one records nothing.
     */
    public Summary rescanAll(boolean full) {
        long start = System.nanoTime();
        int found = 0;
        int skipped = 0;
        List<Share> shares = registry.accepted();
        for (Share share : shares) {
            Stamp stamp = full ? null : stamps.get(share.id());
            if (stamp != null && stamp.unchanged(backend.folder(share))) {
                skipped++;
                continue;
            }
            found += scan(share);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        lastFullScan = ledger.now();
        lastFullScanTook = took;
        return new Summary(shares.size(), found, took, skipped);
    }

    /** Pauses scanning (which records candidates and repairs verdict files) while a disk is nearly full. */
    @jakarta.inject.Inject
    org.accomplishments.validator.storage.StorageGuard storage;

    /** Scans one accepted share; returns how many new candidates it recorded. */
    public int scan(Share share) {
        if (storage != null && !storage.allowsWrites()) {
            return 0; // the share is scanned again when space returns (StorageGuard.onResume)
        }
        Object lock = shareLocks.computeIfAbsent(share.id(), id -> new Object());
        synchronized (lock) {
            MDC.put("share", share.id());
            try {
                return scanLocked(share);
            } catch (BlockedReadException e) {
                quarantine(share, e);
                return 0;
            } catch (IOException | RuntimeException e) {
                LOG.warn("scanning share {} failed: {}; the next rescan tries again", share.id(), e.toString());
                return 0;
            } finally {
                MDC.remove("share");
            }
        }
    }

    private int scanLocked(Share share) throws IOException {
        ShareFolder folder = backend.folder(share);
        Instant listedAt = ledger.now();
        Instant listStarted = Instant.now(); // file mtimes come from the wall clock, whatever the ledger's clock
        ShareFolder.Listing listing = folder.list(policy.maxFilesPerShare() + 1);
        String tooBig = policy.sizeProblem(listing.regularFiles(), listing.regularBytes(), listing.truncated());
        if (tooBig != null) {
            registry.changeState(share.id(), ShareState.OVER_LIMIT, tooBig);
            LOG.warn("share {} is over its limits and is no longer scanned: {}", share.id(), tooBig);
            stamps.remove(share.id());
            return 0;
        }
        // At a share's first scan, a temporary of ours older than this process was left by a dead one (the data
        // directory lock keeps any other out); a younger one is a write of ours in flight: an award issued right
        // after the share was accepted (age zero here once deleted exactly that one).
        Duration tempAge = startupClean && cleanedTemporaries.add(share.id())
                ? Duration.between(PROCESS_STARTED, Instant.now()) : STALE_TEMPORARY;
        int removed = folder.removeTemporaries(listing, tempAge);
        if (removed > 0) {
            LOG.info("removed {} temporary files of ours left by an interrupted write", removed);
        }

        long fingerprint = fingerprint(listing);
        Stamp previous = stamps.get(share.id());
        if (previous != null && previous.fingerprint() == fingerprint) {
            stamps.put(share.id(), Stamp.of(fingerprint, listing, listStarted));
            return 0; // nothing in the share changed since the last scan: no reads, no queries
        }
        registry.scanned(share.id(), listing.regularFiles(), listing.regularBytes());
        // What each trophy looked like when last recorded, from the ledger (which keeps size and mtime of every
        // current row): an unchanged size and mtime means no read and no hash. Loaded for this scan only, never kept:
        // a map per share held for good was the largest part of the heap discovery kept (issue 10).
        List<TrophyRow> current = ledger.current(share.id());
        Map<String, Seen> known = seen(current);
        Set<String> names = new HashSet<>();
        Set<String> candidates = new LinkedHashSet<>();
        for (ShareFolder.Entry entry : listing.entries()) {
            names.add(entry.path());
            if (isCandidate(entry)) {
                candidates.add(entry.path());
            }
        }
        List<TrophyLedger.Found> contents = new java.util.ArrayList<>();
        for (ShareFolder.Entry entry : listing.entries()) {
            if (!candidates.contains(entry.path())) {
                continue;
            }
            Seen before = known.get(entry.path());
            if (before != null && before.size() == entry.size() && before.modified().equals(entry.modified())) {
                continue;
            }
            String digest = digest(folder, entry);
            if (digest == null) {
                continue; // vanished between listing and reading
            }
            contents.add(new TrophyLedger.Found(entry.path(), digest, entry.size(), entry.modified()));
        }
        boolean recorded = !contents.isEmpty();
        int found = 0;
        if (recorded) {
            // Read first, then record, one transaction per chunk instead of one per trophy.
            for (int from = 0; from < contents.size(); from += DISCOVERIES_PER_TRANSACTION) {
                List<TrophyLedger.Found> chunk = contents.subList(from,
                        Math.min(contents.size(), from + DISCOVERIES_PER_TRANSACTION));
                for (TrophyLedger.Discovery discovery : ledger.discoverAll(share.id(), chunk)) {
                    if (discovery.due()) {
                        found++;
                    }
                }
            }
        }
        // The rows read above, taken after the listing, serve the reconciliation too unless this scan changed some.
        reconcile(recorded ? ledger.current(share.id()) : current, folder, listedAt, candidates, names);
        stamps.put(share.id(), Stamp.of(fingerprint, listing, listStarted));
        if (found > 0) {
            LOG.debug("{} new candidate trophies", found);
            pipeline.get().wake();
        }
        return found;
    }

    /**
     * The ledger and the disk must agree: a verdict file that vanished is written again, one that contradicts the
     * recorded verdict (left by a crash between two writes) is removed, a vanished trophy is noted.
     */
    private void reconcile(List<TrophyRow> current, ShareFolder folder, Instant listedAt, Set<String> candidates,
                           Set<String> names) throws IOException {
        boolean wake = false;
        for (TrophyRow row : current) {
            if (row.updatedAt().isAfter(listedAt)) {
                continue; // changed after the listing was taken: the listing cannot speak for it
            }
            if (!candidates.contains(row.path())) {
                ledger.vanished(row);
                continue;
            }
            TrophyState state = row.trophyState();
            String asc = row.path() + ".asc";
            String rejected = row.path() + ".rejected";
            if (state == TrophyState.SIGNED) {
                if (!names.contains(asc)) {
                    wake |= ledger.rewriteVerdict(row, TrophyState.SIGNED, TrophyState.SIGNING,
                            "the .trophy.asc is gone from the share; writing it again");
                } else if (names.contains(rejected)) {
                    folder.delete(rejected);
                }
            } else if (state == TrophyState.REJECTED) {
                if (!names.contains(rejected)) {
                    wake |= ledger.rewriteVerdict(row, TrophyState.REJECTED, TrophyState.REJECTING,
                            "the .trophy.rejected is gone from the share; writing it again");
                } else if (names.contains(asc)) {
                    verdicts.removeOwnSignature(folder, asc);
                }
            }
        }
        if (wake) {
            pipeline.get().wake();
        }
    }

    /** A digest of what the listing shows; equal listings mean nothing in the share changed. */
    private static long fingerprint(ShareFolder.Listing listing) {
        MessageDigest digest = sha256Digest();
        java.nio.ByteBuffer numbers = java.nio.ByteBuffer.allocate(3 * Long.BYTES);
        for (ShareFolder.Entry e : listing.entries()) {
            digest.update(e.path().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            numbers.clear();
            numbers.putLong(e.size()).putLong(e.modified().getEpochSecond() * 1_000_000_000L + e.modified().getNano())
                    .putLong(e.kind().ordinal());
            digest.update(numbers.array());
        }
        return java.nio.ByteBuffer.wrap(digest.digest()).getLong();
    }

    private static boolean isCandidate(ShareFolder.Entry entry) {
        if (entry.kind() == ShareFolder.Kind.DIRECTORY || !entry.fileName().endsWith(".trophy")) {
            return false;
        }
        if (entry.fileName().contains(CONFLICT_COPY)) {
            return false; // a sync tool's losing copy (x.sync-conflict-<date>-<device>.trophy), not the user's trophy
        }
        int slash = entry.path().indexOf('/');
        // <collection>/<name>.trophy only; hidden folders (.extrainformation, sync tools' state) hold no trophies.
        return slash > 0 && entry.path().indexOf('/', slash + 1) < 0 && !entry.path().startsWith(".");
    }

    private static Map<String, Seen> seen(List<TrophyRow> current) {
        Map<String, Seen> map = new java.util.HashMap<>();
        for (TrophyRow row : current) {
            if (row.modifiedAt() != null && map.put(row.path(), new Seen(row.size(), row.modifiedAt())) != null) {
                map.put(row.path(), new Seen(-1, Instant.EPOCH)); // two current rows at one path: read it again
            }
        }
        return map;
    }

    private String digest(ShareFolder folder, ShareFolder.Entry entry) throws IOException {
        if (entry.kind() != ShareFolder.Kind.REGULAR) {
            return UNREAD;
        }
        ShareFolder.ReadResult read = folder.read(entry.path(), settings.getMaxTrophyBytes());
        if (read instanceof ShareFolder.ReadResult.Content content) {
            return TrophyRejection.sha256Hex(content.bytes());
        }
        return read instanceof ShareFolder.ReadResult.Missing ? null : UNREAD;
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A share whose files block reads is no longer scanned (a FIFO swapped in for a trophy, say). */
    public void quarantine(Share share, BlockedReadException e) {
        String reason = "a read inside the share blocked (" + e.getMessage() + "); it is no longer scanned";
        registry.changeState(share.id(), ShareState.OVER_LIMIT, reason);
        forget(share.id());
        LOG.warn("share {}: {}", share.id(), reason);
    }

    /** Forgets what a share looked like, so its next scan reads every trophy again. */
    public void forget(String shareId) {
        stamps.remove(shareId);
    }

    // ---- events from the backend: handled on one worker thread, coalesced per share ----

    @Override
    public void offersChanged() {
        // One queued round sees every offer made before it starts: a burst of offers (a thousand NewShare signals)
        // costs one round, not one each.
        if (!offerRoundQueued.compareAndSet(false, true)) {
            return;
        }
        offerWorker.execute(() -> {
            offerRoundQueued.set(false);
            try {
                acceptOffers();
            } catch (ShareBackendException | RuntimeException e) {
                LOG.warn("accepting offers failed: {}; the offer timer tries again", e.getMessage());
            }
        });
    }

    @Override
    public void shareChanged(String shareId, java.nio.file.Path file) {
        synchronized (pendingScans) {
            if (!pendingScans.add(shareId)) {
                return;
            }
        }
        eventWorker.execute(() -> {
            synchronized (pendingScans) {
                pendingScans.remove(shareId);
            }
            registry.find(shareId).filter(Share::accepted).ifPresent(this::scan);
        });
    }

    @Override
    public void somethingMissed() {
        offerWorker.execute(() -> {
            try {
                acceptOffers();
            } catch (ShareBackendException | RuntimeException e) {
                LOG.warn("accepting offers failed: {}", e.getMessage());
            }
        });
        eventWorker.execute(() -> rescanAll(true)); // events were lost, in-place rewrites among them: list everything
    }

    @Override
    public void shareGone(String shareId) {
        registry.changeState(shareId, ShareState.GONE, "deleted at the " + backend.name() + " backend");
        forget(shareId);
    }

    public void close() {
        offerWorker.shutdownNow();
        eventWorker.shutdownNow();
    }
}
