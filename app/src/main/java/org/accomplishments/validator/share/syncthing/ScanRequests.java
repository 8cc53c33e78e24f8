package org.accomplishments.validator.share.syncthing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * After the server writes a verdict, Syncthing is asked to scan exactly that file ({@code POST /rest/db/scan?sub=}),
 * so it travels back in milliseconds rather than after the watcher's delay. Requests are queued and sent from one
 * thread, batched per folder: the pipeline never waits for Syncthing, and a silent Syncthing costs nothing but the
 * watcher's usual delay.
 */
final class ScanRequests {
    private static final Logger LOG = LoggerFactory.getLogger(ScanRequests.class);
    /** More paths than this in one folder: one scan of the whole folder instead. */
    private static final int MAX_SUBS = 100;

    private final SyncthingClient client;
    private final Map<String, Set<String>> queued = new LinkedHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "syncthing-scans");
        t.setDaemon(true);
        return t;
    });
    private boolean scheduled;

    ScanRequests(SyncthingClient client) {
        this.client = client;
    }

    void request(String folderId, String relativePath) {
        synchronized (queued) {
            queued.computeIfAbsent(folderId, f -> new LinkedHashSet<>()).add(relativePath);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        try {
            worker.execute(this::drain);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // shutting down: the watcher sends it
        }
    }

    private void drain() {
        Map<String, Set<String>> batch;
        synchronized (queued) {
            batch = new LinkedHashMap<>(queued);
            queued.clear();
            scheduled = false;
        }
        batch.forEach((folder, paths) -> {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("folder", folder);
            if (paths.size() <= MAX_SUBS) {
                List<String> subs = new ArrayList<>(paths);
                query.put("sub", subs);
            }
            try {
                client.post("/rest/db/scan" + SyncthingClient.query(query), null);
            } catch (SyncthingException e) {
                LOG.debug("asking Syncthing to scan {} in {}: {}; its watcher sends the files later", paths, folder,
                        e.getMessage());
            }
        });
    }

    void close() {
        worker.shutdownNow();
    }
}
