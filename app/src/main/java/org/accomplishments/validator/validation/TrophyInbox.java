package org.accomplishments.validator.validation;

import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.accomplishments.validator.share.AcceptancePolicy;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.share.ShareAcceptor;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareBackendException;
import org.accomplishments.validator.share.ShareEvents;
import org.accomplishments.validator.share.ShareFolder;
import org.accomplishments.validator.share.ShareRegistry;
import org.accomplishments.validator.share.ShareSettings;
import org.accomplishments.validator.share.ShareState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
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

    private final ShareBackend backend;
    private final ShareRegistry registry;
    private final ShareAcceptor acceptor;
    private final TrophyLedger ledger;
    private final AcceptancePolicy policy;
    private final ShareSettings settings;
    private final Provider<ValidationPipeline> pipeline;
    private final Map<String, Object> shareLocks = new ConcurrentHashMap<>();
    /** What each path looked like when last recorded: an unchanged size and mtime means no read, no hash, no query. */
    private final Map<String, Map<String, Seen>> seen = new ConcurrentHashMap<>();
    private final Map<String, Long> listingFingerprints = new ConcurrentHashMap<>();
    private final Set<String> cleanedTemporaries = ConcurrentHashMap.newKeySet();
    private final Set<String> pendingScans = new LinkedHashSet<>();
    private final ExecutorService eventWorker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "share-scans");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean startupClean = true;
    private volatile Instant lastFullScan;
    private volatile Duration lastFullScanTook;

    private record Seen(long size, Instant modified) {
    }

    public TrophyInbox(ShareBackend backend, ShareRegistry registry, ShareAcceptor acceptor, TrophyLedger ledger,
                       AcceptancePolicy policy, ShareSettings settings, Provider<ValidationPipeline> pipeline) {
        this.backend = backend;
        this.registry = registry;
        this.acceptor = acceptor;
        this.ledger = ledger;
        this.policy = policy;
        this.settings = settings;
        this.pipeline = pipeline;
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
        for (Share share : round.accepted()) {
            scan(share);
        }
        return round;
    }

    /** What a full rescan found. */
    public record Summary(int shares, int newCandidates, Duration took) {
    }

    public Summary rescanAll() {
        long start = System.nanoTime();
        int found = 0;
        List<Share> shares = registry.accepted();
        for (Share share : shares) {
            found += scan(share);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        lastFullScan = ledger.now();
        lastFullScanTook = took;
        return new Summary(shares.size(), found, took);
    }

    /** Scans one accepted share; returns how many new candidates it recorded. */
    public int scan(Share share) {
        Object lock = shareLocks.computeIfAbsent(share.id(), id -> new Object());
        synchronized (lock) {
            MDC.put("share", share.id());
            try {
                return scanLocked(share);
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
        ShareFolder.Listing listing = folder.list(policy.maxFilesPerShare() + 1);
        String tooBig = policy.sizeProblem(listing.regularFiles(), listing.regularBytes(), listing.truncated());
        if (tooBig != null) {
            registry.changeState(share.id(), ShareState.OVER_LIMIT, tooBig);
            LOG.warn("share {} is over its limits and is no longer scanned: {}", share.id(), tooBig);
            seen.remove(share.id());
            listingFingerprints.remove(share.id());
            return 0;
        }
        Duration tempAge = startupClean && cleanedTemporaries.add(share.id()) ? Duration.ZERO : STALE_TEMPORARY;
        int removed = folder.removeTemporaries(listing, tempAge);
        if (removed > 0) {
            LOG.info("removed {} temporary files of ours left by an interrupted write", removed);
        }

        long fingerprint = fingerprint(listing);
        Long previous = listingFingerprints.get(share.id());
        if (previous != null && previous == fingerprint) {
            return 0; // nothing in the share changed since the last scan: no reads, no queries
        }
        Map<String, Seen> known = seen.computeIfAbsent(share.id(), id -> loadSeen(id));
        Set<String> names = new HashSet<>();
        Set<String> candidates = new LinkedHashSet<>();
        for (ShareFolder.Entry entry : listing.entries()) {
            names.add(entry.path());
            if (isCandidate(entry)) {
                candidates.add(entry.path());
            }
        }
        int found = 0;
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
            TrophyLedger.Discovery discovery = ledger.discover(share.id(), entry.path(), digest, entry.size(),
                    entry.modified());
            known.put(entry.path(), new Seen(entry.size(), entry.modified()));
            if (discovery.due()) {
                found++;
            }
        }
        reconcile(share, known, candidates, names);
        listingFingerprints.put(share.id(), fingerprint);
        if (found > 0) {
            LOG.debug("{} new candidate trophies", found);
            pipeline.get().wake();
        }
        return found;
    }

    /** The ledger and the disk must agree: verdict files that vanished are rewritten; vanished trophies noted. */
    private void reconcile(Share share, Map<String, Seen> known, Set<String> candidates, Set<String> names) {
        boolean wake = false;
        for (TrophyRow row : ledger.current(share.id())) {
            if (!candidates.contains(row.path())) {
                ledger.vanished(row);
                known.remove(row.path());
                continue;
            }
            TrophyState state = row.trophyState();
            if (state == TrophyState.SIGNED && !names.contains(row.path() + ".asc")) {
                ledger.move(row.moveTo(TrophyState.SIGNING, row.reason(), row.detail(), ledger.now(), ledger.now()),
                        "verdict-file-missing", "the .trophy.asc is gone from the share; writing it again");
                wake = true;
            } else if (state == TrophyState.REJECTED && !names.contains(row.path() + ".rejected")) {
                ledger.move(row.moveTo(TrophyState.REJECTING, row.reason(), row.detail(), ledger.now(), ledger.now()),
                        "verdict-file-missing", "the .trophy.rejected is gone from the share; writing it again");
                wake = true;
            }
        }
        known.keySet().retainAll(candidates);
        if (wake) {
            pipeline.get().wake();
        }
    }

    private static long fingerprint(ShareFolder.Listing listing) {
        long h = 1125899906842597L;
        for (ShareFolder.Entry e : listing.entries()) {
            h = 31 * h + e.path().hashCode();
            h = 31 * h + e.size();
            h = 31 * h + e.modified().toEpochMilli() * 1_000_000 + e.modified().getNano() % 1_000_000;
            h = 31 * h + e.kind().ordinal();
        }
        return h;
    }

    private static boolean isCandidate(ShareFolder.Entry entry) {
        if (entry.kind() == ShareFolder.Kind.DIRECTORY || !entry.fileName().endsWith(".trophy")) {
            return false;
        }
        int slash = entry.path().indexOf('/');
        // <collection>/<name>.trophy only; hidden folders (.extrainformation, sync tools' state) hold no trophies.
        return slash > 0 && entry.path().indexOf('/', slash + 1) < 0 && !entry.path().startsWith(".");
    }

    private Map<String, Seen> loadSeen(String shareId) {
        Map<String, Seen> map = new ConcurrentHashMap<>();
        for (TrophyRow row : ledger.current(shareId)) {
            if (row.modifiedAt() != null) {
                map.put(row.path(), new Seen(row.size(), row.modifiedAt()));
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
            return sha256(content.bytes());
        }
        return read instanceof ShareFolder.ReadResult.Missing ? null : UNREAD;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Forgets what a share looked like, so its next scan reads every trophy again. */
    public void forget(String shareId) {
        seen.remove(shareId);
        listingFingerprints.remove(shareId);
    }

    // ---- events from the backend: handled on one worker thread, coalesced per share ----

    @Override
    public void offersChanged() {
        eventWorker.execute(() -> {
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
        eventWorker.execute(() -> {
            try {
                acceptOffers();
            } catch (ShareBackendException | RuntimeException e) {
                LOG.warn("accepting offers failed: {}", e.getMessage());
            }
            rescanAll();
        });
    }

    @Override
    public void shareGone(String shareId) {
        registry.changeState(shareId, ShareState.GONE, "deleted at the " + backend.name() + " backend");
        forget(shareId);
    }

    public void close() {
        eventWorker.shutdownNow();
    }
}
