package org.accomplishments.validator.storage;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.accomplishments.validator.share.ShareBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the free space of every file system the service writes to (the data directory, the database, the
 * backups, the share roots) and pauses writing work before one of them fills: H2's MVStore does not survive a
 * write that fails with ENOSPC (the file is left with no valid chunk), and a share's verdict would be half written.
 * While paused, {@link #pauseReason()} says why; when space returns the listeners run and the work resumes by
 * itself. Nothing is lost while paused: trophies stay in their shares and in the ledger until then.
 */
@Singleton
public class StorageGuard {
    private static final Logger LOG = LoggerFactory.getLogger(StorageGuard.class);

    private final Map<Path, String> watched;
    private final long minFree;
    private final String minFreeText;
    private final long checkMillis;
    private final List<Runnable> resumeListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private volatile Optional<String> pause = Optional.empty();
    private volatile long lastCheck;

    public StorageGuard(StorageSettings settings, BackupSettings backups, ShareBackend backend,
                        @Value("${validator.data-dir}") Path dataDir,
                        @Value("${datasources.default.url:}") String databaseUrl) {
        try {
            this.minFree = ByteSize.parse(settings.getMinFree());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("validator.disk.min-free: " + e.getMessage());
        }
        this.minFreeText = settings.getMinFree().strip();
        this.checkMillis = Math.max(100, settings.getCheckInterval().toMillis());
        Map<Path, String> paths = new LinkedHashMap<>();
        paths.put(dataDir.toAbsolutePath().normalize(), "the data directory");
        EmbeddedDatabase.of(databaseUrl).ifPresent(db -> paths.putIfAbsent(db.base().getParent(), "the database"));
        if (backups.isEnabled()) {
            paths.putIfAbsent(backups.getDir().toAbsolutePath().normalize(), "the backups");
        }
        for (Path root : backend.roots()) {
            paths.putIfAbsent(root.toAbsolutePath().normalize(), "the share root");
        }
        for (Path extra : settings.getPaths()) {
            paths.putIfAbsent(extra.toAbsolutePath().normalize(), "a watched folder (validator.disk.paths)");
        }
        this.watched = paths;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "storage-guard");
            t.setDaemon(true);
            return t;
        });
        check();
        timer.scheduleWithFixedDelay(this::checkQuietly, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }

    /** Whether writing work may be taken now; measures again when the last measurement is older than the interval. */
    public boolean allowsWrites() {
        if (System.currentTimeMillis() - lastCheck >= checkMillis) {
            check();
        }
        return pause.isEmpty();
    }

    /** Why writing work is paused ({@code disk-space-low: ...}), or empty when it is not. */
    public Optional<String> pauseReason() {
        return pause;
    }

    /** The configured floor, in bytes. */
    public long minFree() {
        return minFree;
    }

    /** The folders watched and what each is. */
    public Map<Path, String> watched() {
        return watched;
    }

    /** Runs when writing resumes after a pause (e.g. rescan the shares, wake the pipeline). */
    public void onResume(Runnable listener) {
        resumeListeners.add(listener);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("measuring free disk space failed: {}", e.toString());
        }
    }

    /** Measures every watched file system now and pauses or resumes. */
    public synchronized Optional<String> check() {
        lastCheck = System.currentTimeMillis();
        Optional<String> now = Optional.empty();
        for (Map.Entry<Path, String> e : watched.entrySet()) {
            Optional<Long> free = usable(e.getKey());
            if (free.isPresent() && free.get() < minFree) {
                now = Optional.of("disk-space-low: the file system of " + e.getKey() + " (" + e.getValue() + ") has "
                        + ByteSize.display(free.get()) + " free, below validator.disk.min-free (" + minFreeText
                        + "); new work is paused until space is freed");
                break;
            }
        }
        Optional<String> before = pause;
        pause = now;
        if (now.isPresent() && before.isEmpty()) {
            LOG.warn("{}", now.get());
        } else if (now.isEmpty() && before.isPresent()) {
            LOG.info("disk space is back above validator.disk.min-free ({}): resuming work", minFreeText);
            for (Runnable listener : resumeListeners) {
                Thread t = new Thread(() -> {
                    try {
                        listener.run();
                    } catch (RuntimeException ex) {
                        LOG.warn("resuming after low disk space: {}", ex.toString());
                    }
                }, "storage-resume");
                t.setDaemon(true);
                t.start();
            }
        }
        return now;
    }

    /** Usable bytes of the file system holding {@code path} (or its nearest existing parent). */
    static Optional<Long> usable(Path path) {
        Path p = path;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return Optional.empty();
        }
        try {
            FileStore store = Files.getFileStore(p);
            return Optional.of(store.getUsableSpace());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Free bytes per watched folder, for the health details. */
    public Map<String, Long> freeBytes() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Path p : new ArrayList<>(watched.keySet())) {
            usable(p).ifPresent(free -> out.put(p.toString(), free));
        }
        return out;
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
    }
}
