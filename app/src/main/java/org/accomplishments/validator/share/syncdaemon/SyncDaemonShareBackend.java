package org.accomplishments.validator.share.syncdaemon;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.accomplishments.validator.share.AcceptOutcome;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareBackendException;
import org.accomplishments.validator.share.ShareEvents;
import org.accomplishments.validator.share.ShareFolder;
import org.accomplishments.validator.share.ShareOffer;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.messages.DBusSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Ubuntu One / Magicicada sync daemon as a share backend, over D-Bus (syncdaemon-dbus.md). Offers are the
 * daemon's {@code get_shares()}; accepting one is {@code accept_share} then {@code subscribe}, each confirmed by its
 * signal; {@code DownloadFinished} under an accepted share's folder makes the core scan that share at once. Every
 * signal only speeds things up: the offer and rescan timers find whatever a missed signal would have reported.
 */
@Singleton
@Requires(property = "validator.shares.backend", value = SyncDaemonShareBackend.NAME)
public class SyncDaemonShareBackend implements ShareBackend, SyncDaemonLink.Listener {
    public static final String NAME = "syncdaemon";
    private static final Logger LOG = LoggerFactory.getLogger(SyncDaemonShareBackend.class);

    private final SyncDaemonSettings settings;
    private final SyncDaemonLink link;
    private final Duration answerTimeout;

    private volatile ShareEvents events;
    /** Accepted shares this server follows: id → folder, and folder → id for {@code DownloadFinished}. */
    private final Map<String, Path> folders = new ConcurrentHashMap<>();
    private final Map<Path, String> sharesByFolder = new ConcurrentHashMap<>();
    /** {@code accepted}/{@code subscribed} as the last {@code get_shares()} said, by id. */
    private final Map<String, ShareInfo> listed = new ConcurrentHashMap<>();
    /** Waiting for {@code ShareAnswerResponse} / {@code ShareSubscribed} (or its error), by share id. */
    private final Map<String, CompletableFuture<Map<String, String>>> answers = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Map<String, String>>> subscriptions = new ConcurrentHashMap<>();
    /** The D-Bus method calls of accepts; their answers come as signals and hold no thread. */
    private final ExecutorService calls = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "syncdaemon-accepts");
        t.setDaemon(true);
        return t;
    });

    public SyncDaemonShareBackend(SyncDaemonSettings settings, Clock clock) {
        this.settings = settings;
        this.answerTimeout = settings.getAnswerTimeout();
        String configured = settings.getBusAddress() == null ? "" : settings.getBusAddress().strip();
        String fromEnvironment = System.getenv("DBUS_SESSION_BUS_ADDRESS");
        String address = !configured.isEmpty() ? configured
                : fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.strip();
        this.link = new SyncDaemonLink(address, settings, this, clock);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void start(ShareEvents events) {
        if (this.events == null) {
            this.events = events;
            link.start();
        }
    }

    @Override
    public List<ShareOffer> offers() throws ShareBackendException {
        List<Map<String, String>> dicts;
        Path sharesDir;
        try {
            SyncDaemonShares shares = link.remote(SyncDaemonShares.PATH, SyncDaemonShares.class);
            shares.refreshShares();
            dicts = shares.getShares();
            sharesDir = Path.of(link.remote(SyncDaemonRoot.PATH, SyncDaemonRoot.class).getSharesDir()).normalize();
        } catch (DBusException | DBusExecutionException | InvalidPathException e) {
            throw new ShareBackendException("cannot list the sync daemon's shares: " + e.getMessage(), e);
        }
        List<ShareOffer> offers = new ArrayList<>(dicts.size());
        Map<String, ShareInfo> now = new HashMap<>();
        for (Map<String, String> dict : dicts) {
            try {
                ShareInfo info = ShareInfo.parse(dict, sharesDir);
                now.put(info.volumeId(), info);
                offers.add(info.toOffer());
            } catch (ShareInfo.Unusable e) {
                LOG.warn("ignoring a share the sync daemon lists: {}", e.getMessage());
            }
        }
        listed.keySet().retainAll(now.keySet());
        listed.putAll(now);
        resubscribeFollowed(now);
        return offers;
    }

    /** A followed share the daemon lists as accepted but not subscribed would never sync again: subscribe it. */
    private void resubscribeFollowed(Map<String, ShareInfo> now) {
        for (ShareInfo info : now.values()) {
            if (info.accepted() && !info.subscribed() && folders.containsKey(info.volumeId())) {
                LOG.info("share {} is no longer subscribed at the sync daemon; subscribing again", info.volumeId());
                try {
                    link.remote(SyncDaemonShares.PATH, SyncDaemonShares.class).subscribe(info.volumeId());
                } catch (DBusException | DBusExecutionException e) {
                    LOG.warn("subscribe({}) failed: {}", info.volumeId(), e.getMessage());
                }
            }
        }
    }

    @Override
    public AcceptOutcome accept(ShareOffer offer) throws ShareBackendException {
        try {
            return acceptAsync(offer).toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShareBackendException("interrupted while waiting for the answer to accept_share", e);
        } catch (ExecutionException e) {
            throw new ShareBackendException("accepting " + offer.shareId() + " failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * {@code accept_share}, then {@code subscribe}, each completed by its signal for this share id. No thread waits
     * for an answer: the method calls run on a small pool and the answers complete futures, timed out each on its
     * own, so a thousand offers the daemon never answers cost a thousand timers, not a thousand threads, and delay
     * no other offer.
     */
    @Override
    public CompletionStage<AcceptOutcome> acceptAsync(ShareOffer offer) {
        String id = offer.shareId();
        ShareInfo info = listed.get(id);
        boolean acceptedThere = offer.acceptedAtBackend() || (info != null && info.accepted());
        boolean subscribedThere = info != null && info.subscribed();
        CompletableFuture<AcceptOutcome.Failed> acceptance = acceptedThere ? CompletableFuture.completedFuture(null)
                : ask(answers, id, "accept_share", s -> s.acceptShare(id)).thenApply(answer -> {
                    if (answer.failure != null) {
                        return answer.failure;
                    }
                    if (!"Yes".equals(answer.dict.get("answer")) || answer.dict.containsKey("error")) {
                        String error = answer.dict.get("error");
                        return new AcceptOutcome.Failed("the sync daemon answered '"
                                + answer.dict.getOrDefault("answer", "") + "' to accept_share"
                                + (error == null ? "" : ": " + error), true);
                    }
                    return null;
                });
        return acceptance.thenCompose(failure -> {
            if (failure != null) {
                return CompletableFuture.completedFuture((AcceptOutcome) failure);
            }
            if (acceptedThere && subscribedThere) {
                followFolder(id, offer.folder());
                return CompletableFuture.completedFuture(AcceptOutcome.accepted());
            }
            return ask(subscriptions, id, "subscribe", s -> s.subscribe(id)).thenApply(subscribed -> {
                if (subscribed.failure != null) {
                    return subscribed.failure;
                }
                followFolder(id, offer.folder());
                return AcceptOutcome.accepted();
            });
        });
    }

    private record Answer(Map<String, String> dict, AcceptOutcome.Failed failure) {
    }

    private interface Call {
        void on(SyncDaemonShares shares) throws DBusException;
    }

    /**
     * Calls a method whose outcome arrives as a signal (the wait registered before calling), and completes with
     * that signal, or with a failure when the call fails or no signal comes within the answer timeout.
     */
    private CompletableFuture<Answer> ask(Map<String, CompletableFuture<Map<String, String>>> waiting, String id,
                                          String method, Call call) {
        CompletableFuture<Map<String, String>> outcome = new CompletableFuture<>();
        waiting.put(id, outcome);
        return CompletableFuture.supplyAsync(() -> {
            try {
                call.on(link.remote(SyncDaemonShares.PATH, SyncDaemonShares.class));
                return (Answer) null;
            } catch (DBusException | DBusExecutionException e) {
                // This offer's call failed (an error reply, the daemon gone): the others still get theirs.
                return new Answer(null, new AcceptOutcome.Failed(method + " failed: " + e.getMessage(), true));
            }
        }, calls).thenCompose(callFailed -> callFailed != null ? CompletableFuture.completedFuture(callFailed)
                : outcome.orTimeout(answerTimeout.toMillis(), TimeUnit.MILLISECONDS).handle((dict, error) -> {
                    if (error == null) {
                        return new Answer(dict, null);
                    }
                    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof TimeoutException) {
                        return new Answer(null, new AcceptOutcome.Failed("no answer from the sync daemon to " + method
                                + " within " + answerTimeout.toMillis() + " ms", true));
                    }
                    return new Answer(null, new AcceptOutcome.Failed(method + " failed: " + cause.getMessage(), true));
                })).whenComplete((answer, error) -> waiting.remove(id, outcome));
    }

    @Override
    public void decline(ShareOffer offer) {
        try {
            // The answer (ShareAnswerResponse 'No') carries nothing this server needs; it is not waited for.
            link.remote(SyncDaemonShares.PATH, SyncDaemonShares.class).rejectShare(offer.shareId());
        } catch (DBusException | DBusExecutionException e) {
            // The refusal is recorded and the share never read either way; the offer merely stays pending there.
            LOG.warn("reject_share({}) failed: {}", offer.shareId(), e.getMessage());
        }
    }

    @Override
    public void follow(Share share) {
        followFolder(share.id(), share.folder());
    }

    private synchronized void followFolder(String id, Path folder) {
        Path before = folders.put(id, folder);
        if (before != null && !before.equals(folder)) {
            sharesByFolder.remove(before, id);
        }
        sharesByFolder.put(folder, id);
    }

    private synchronized void unfollow(String id) {
        Path folder = folders.remove(id);
        if (folder != null) {
            sharesByFolder.remove(folder, id);
        }
    }

    @Override
    public ShareFolder folder(Share share) {
        return new ShareFolder(share.folder());
    }

    @Override
    public BackendHealth health() {
        SyncDaemonLink.State state = link.state();
        return new BackendHealth(state.up(), state.detail() + "; " + folders.size() + " shares followed");
    }

    @Override
    public void close() {
        calls.shutdownNow();
        link.close();
        daemonLost("the service is stopping");
    }

    // --- what the daemon says (one signal thread, in order) ---

    @Override
    public void daemonAppeared(String uniqueName) {
        ShareEvents e = events;
        if (e != null) {
            // A new daemon, or a new connection: whatever it said while this server was not listening is lost.
            e.somethingMissed();
        }
    }

    @Override
    public void daemonLost(String why) {
        IllegalStateException gone = new IllegalStateException(why);
        answers.values().forEach(f -> f.completeExceptionally(gone));
        subscriptions.values().forEach(f -> f.completeExceptionally(gone));
    }

    @Override
    public void signal(DBusSignal signal) {
        ShareEvents e = events;
        if (e == null) {
            return;
        }
        if (signal instanceof SyncDaemonStatus.DownloadFinished download) {
            downloadFinished(download, e);
        } else if (signal instanceof SyncDaemonShares.ShareAnswerResponse answer) {
                complete(answers, answer.share());
        } else if (signal instanceof SyncDaemonShares.ShareSubscribed subscribed) {
                complete(subscriptions, subscribed.share());
        } else if (signal instanceof SyncDaemonShares.ShareSubscribeError error) {
                String id = ShareInfo.idOf(error.info());
            CompletableFuture<Map<String, String>> waiting = id == null ? null : subscriptions.get(id);
            if (waiting != null) {
                waiting.completeExceptionally(new IllegalStateException("ShareSubscribeError " + error.error()));
            } else {
                LOG.warn("ShareSubscribeError for {}: {}", id, error.error());
            }
        } else if (signal instanceof SyncDaemonShares.NewShare newShare) {
            String id = ShareInfo.idOf(newShare.share());
            // NewShare fires again once an accepted share is accepted: nothing new for a share already followed.
            if (id == null || !folders.containsKey(id)) {
                e.offersChanged();
            }
        } else if (signal instanceof SyncDaemonShares.ShareChanged) {
            e.offersChanged(); // a new name or visible name moves the folder: the acceptor follows it
        } else if (signal instanceof SyncDaemonShares.ShareDeleted deleted) {
            String id = ShareInfo.idOf(deleted.share());
            if (id != null) {
                LOG.info("the sync daemon deleted share {}", id);
                unfollow(id);
                listed.remove(id);
                e.shareGone(id);
            }
        } else if (signal instanceof SyncDaemonShares.ShareUnSubscribed unsubscribed) {
            String id = ShareInfo.idOf(unsubscribed.share());
            if (id != null && folders.containsKey(id)) {
                LOG.warn("share {} was unsubscribed at the sync daemon; the next offer round subscribes it again", id);
            }
        }
    }

    private static void complete(Map<String, CompletableFuture<Map<String, String>>> waiting, Map<String, String> dict) {
        String id = ShareInfo.idOf(dict);
        CompletableFuture<Map<String, String>> future = id == null ? null : waiting.get(id);
        if (future != null) {
            future.complete(dict);
        }
    }

    private void downloadFinished(SyncDaemonStatus.DownloadFinished download, ShareEvents e) {
        String error = download.info().get("error");
        Path file;
        try {
            file = Path.of(download.file());
        } catch (InvalidPathException ex) {
            LOG.warn("DownloadFinished for an unusable path: {}", ex.getMessage());
            return;
        }
        if (!file.isAbsolute() || !file.normalize().equals(file)) {
            LOG.warn("DownloadFinished for a path that is not absolute and plain; left to the rescan");
            return;
        }
        for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
            String id = sharesByFolder.get(dir);
            if (id != null) {
                if (error != null) {
                    LOG.warn("the sync daemon could not download {} in share {}: {}; left to the rescan",
                            dir.relativize(file), id, error);
                } else {
                    e.shareChanged(id, file);
                }
                return;
            }
        }
        LOG.debug("DownloadFinished outside every followed share: {}", file);
    }
}
