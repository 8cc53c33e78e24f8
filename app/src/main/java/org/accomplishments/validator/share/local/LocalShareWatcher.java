package org.accomplishments.validator.share.local;

import org.accomplishments.validator.share.ShareEvents;
import org.accomplishments.validator.share.ShareFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * inotify (through {@link WatchService}) on the share root, each share folder and its collection folders. Events
 * are aggregated per share and delivered after a quiet period, so a client writing a file in pieces, or a sync
 * tool moving a dozen files into place, costs one scan. When the kernel drops events (overflow) or runs out of
 * watches, the timers' rescans still find everything; this is only the fast path.
 */
final class LocalShareWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalShareWatcher.class);
    private static final WatchEvent.Kind<?>[] KINDS = {StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE};

    private final Path root;
    private final Duration debounce;
    private final ShareEvents events;
    /**
     * What each watch is for. Held per watched folder, so kept small (issue 10: with 10,000 shares this was 30,001
     * records, each with its own copy of the folder's path, beside the JDK's own per-watch objects): the folder is
     * the key's {@link WatchKey#watchable()}, and the folders of one share share one record per depth.
     */
    private final Map<WatchKey, Watched> keys = new HashMap<>();
    /** The folder each share is watched at: a share is listed and registered again only when it moved. */
    private final Map<String, Path> watchedShares = new HashMap<>();
    private final Set<String> dirtyShares = new LinkedHashSet<>();
    private boolean offersDirty;
    private boolean missed;
    private volatile String failure;
    private WatchService service;
    private Thread thread;

    private record Watched(String shareId, int depth) {
    }

    private static final Watched ROOT = new Watched(null, 0);

    LocalShareWatcher(Path root, Duration debounce, ShareEvents events) {
        this.root = root;
        this.debounce = debounce;
        this.events = events;
    }

    synchronized void start() {
        try {
            service = root.getFileSystem().newWatchService();
            register(root, ROOT);
        } catch (IOException e) {
            failure = "file events unavailable (" + e.getMessage() + "); timers only";
            LOG.warn("{}", failure);
            return;
        }
        thread = new Thread(this::loop, "share-events");
        thread.setDaemon(true);
        thread.start();
    }

    String describe() {
        String f = failure;
        if (f != null) {
            return f;
        }
        synchronized (this) {
            return "file events on (" + keys.size() + " folders watched)";
        }
    }

    /** Watches an accepted share's folder and the collection folders inside it. */
    synchronized void watchShare(String shareId, Path folder) {
        if (service == null || folder.equals(watchedShares.get(shareId))) {
            return;
        }
        if (!register(folder, new Watched(shareId, 1))) {
            return;
        }
        watchedShares.put(shareId, folder);
        Watched collections = new Watched(shareId, 2);
        try (DirectoryStream<Path> children = Files.newDirectoryStream(folder)) {
            for (Path child : children) {
                if (isCollectionFolder(child)) {
                    register(child, collections);
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list {} to watch it: {}", folder, e.getMessage());
        }
    }

    /**
     * Hidden folders ({@code .extrainformation}, sync tools' state) hold no trophies, and only {@code .trophy} names
     * make a share dirty at that depth, so watching them cost a watch and its objects per share for nothing.
     */
    private static boolean isCollectionFolder(Path child) {
        return !child.getFileName().toString().startsWith(".") && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
    }

    private boolean register(Path dir, Watched watched) {
        try {
            WatchKey key = dir.register(service, KINDS);
            keys.put(key, watched);
            return true;
        } catch (IOException e) {
            // ENOSPC (inotify watch limit) among others: this folder is left to the timers.
            if (failure == null) {
                failure = "some folders are not watched (" + e.getMessage() + "); the timers cover them";
                LOG.warn("cannot watch {}: {}; raise fs.inotify.max_user_watches or rely on the rescan timer",
                        dir, e.getMessage());
            }
            return false;
        }
    }

    private void loop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = service.take();
                handle(key);
                // Collect until the folders have been quiet for the debounce time.
                WatchKey next;
                while ((next = service.poll(Math.max(1, debounce.toMillis()), TimeUnit.MILLISECONDS)) != null) {
                    handle(next);
                }
                flush();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = "file events stopped (" + e + "); timers only";
            LOG.error("file event loop failed; the rescan timer carries on alone", e);
        }
    }

    private synchronized void handle(WatchKey key) {
        Watched watched = keys.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                missed = true;
                continue;
            }
            if (watched == null) {
                continue;
            }
            Path name = (Path) event.context();
            if (watched.shareId() == null) {
                offersDirty = true;
                continue;
            }
            if (ShareFolder.isTemporaryName(name.toString())) {
                continue; // our own atomic writes
            }
            if (watched.depth() == 1 && event.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
                Path changed = ((Path) key.watchable()).resolve(name);
                if (isCollectionFolder(changed)) {
                    register(changed, new Watched(watched.shareId(), 2));
                }
            }
            if (watched.depth() == 2 && !name.toString().endsWith(".trophy")) {
                continue; // our own .asc/.rejected, or files nobody validates
            }
            dirtyShares.add(watched.shareId());
        }
        if (!key.reset()) {
            Watched gone = keys.remove(key);
            if (gone != null && gone.depth() == 1) {
                watchedShares.remove(gone.shareId(), key.watchable());
            }
        }
    }

    private void flush() {
        boolean offers;
        boolean lost;
        Set<String> shares;
        synchronized (this) {
            offers = offersDirty;
            lost = missed;
            shares = new LinkedHashSet<>(dirtyShares);
            offersDirty = false;
            missed = false;
            dirtyShares.clear();
        }
        try {
            if (offers) {
                events.offersChanged();
            }
            if (lost) {
                events.somethingMissed();
            }
            for (String share : shares) {
                events.shareChanged(share, null);
            }
        } catch (RuntimeException e) {
            LOG.warn("handling file events failed; the timers will catch up", e);
        }
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.interrupt();
        }
        try {
            if (service != null) {
                service.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }
}
