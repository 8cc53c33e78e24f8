package org.accomplishments.validator.share.syncthing;

import io.micronaut.json.tree.JsonNode;
import org.accomplishments.validator.share.ShareEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Follows Syncthing's event stream with one fixed mask (ids and cursors belong to the mask). Ids that jump mean
 * the 1,000-event buffer overflowed; ids going back, a changed {@code startTime} or falling {@code uptime} mean
 * Syncthing restarted: the cursor is reset and the core told to reconcile everything. Events only make things fast:
 * the timers still find what a lost event would have reported.
 */
final class SyncthingEventLoop {
    private static final Logger LOG = LoggerFactory.getLogger(SyncthingEventLoop.class);
    static final String MASK = "PendingDevicesChanged,PendingFoldersChanged,ItemFinished,LocalIndexUpdated,"
            + "FolderSummary,FolderErrors,DeviceConnected,DeviceDisconnected";
    private static final String CONFLICT_COPY = ".sync-conflict-";

    private final SyncthingShareBackend backend;
    private final SyncthingClient client;
    private final SyncthingSettings settings;
    private final Map<String, Long> needFiles = new ConcurrentHashMap<>();
    private final Map<String, String> folderErrors = new ConcurrentHashMap<>();
    private final ExecutorService deviceWorker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "syncthing-devices");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean deviceRoundQueued = new AtomicBoolean();
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile long cursor;
    private volatile int connections;
    private volatile long restarts;
    private volatile long gaps;
    private String startTime;
    private long uptime;
    private long uptimeReadAt;

    SyncthingEventLoop(SyncthingShareBackend backend, SyncthingClient client, SyncthingSettings settings) {
        this.backend = backend;
        this.client = client;
        this.settings = settings;
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::run, "syncthing-events");
        thread.setDaemon(true);
        thread.start();
    }

    boolean running() {
        return thread != null && !closed;
    }

    String describe() {
        return "events since id " + cursor + ", " + connections + " devices connected, " + restarts
                + " restarts and " + gaps + " gaps seen";
    }

    String folderErrors() {
        return folderErrors.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        deviceWorker.shutdownNow();
    }

    private void run() {
        Duration delay = settings.getReconnect().getInitialDelay();
        boolean reconcile = true; // at start, and after every failure or restart: anything may have happened
        while (!closed) {
            try {
                if (reconcile) {
                    subscribe();
                    reconcile = false;
                    delay = settings.getReconnect().getInitialDelay();
                }
                reconcile = poll();
            } catch (SyncthingException e) {
                if (closed) {
                    return;
                }
                backend.markDown(e);
                LOG.debug("Syncthing events: {}; again in {}", e.getMessage(), delay);
                reconcile = true;
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                Duration max = settings.getReconnect().getMaxDelay();
                delay = delay.multipliedBy(2).compareTo(max) > 0 ? max : delay.multipliedBy(2);
            } catch (RuntimeException e) {
                LOG.warn("Syncthing events: unexpected {}; reconnecting", e.toString());
                reconcile = true;
                try {
                    Thread.sleep(settings.getReconnect().getMaxDelay().toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * (Re)opens the subscription: a mask seen for the first time returns nothing older, so what happened before
     * is read from the REST state instead (pending devices and folders, a rescan of every share).
     */
    private void subscribe() throws SyncthingException {
        SyncthingShareBackend.Status status = backend.readStatus();
        restartCheck(status);
        cursor = 0;
        JsonNode first = client.get("/rest/events" + SyncthingClient.query(Map.of("events", MASK, "since", 0,
                "timeout", 0)));
        for (JsonNode event : first.values()) {
            cursor = Math.max(cursor, id(event));
        }
        backend.refreshFolders();
        ShareEvents events = backend.events();
        if (status.up()) {
            queueDeviceRound();
            events.somethingMissed(); // an offer round and a rescan of every share
        }
        LOG.info("following Syncthing's events ({})", status.detail());
    }

    private void restartCheck(SyncthingShareBackend.Status status) {
        long now = System.nanoTime();
        boolean restarted = startTime != null && !Objects.equals(startTime, status.startTime());
        if (!restarted && startTime != null && status.uptime() + 2 < uptime) {
            restarted = true; // startTime has whole seconds: two restarts in one second still lower the uptime
        }
        if (restarted) {
            restarts++;
            LOG.info("Syncthing restarted (start time {} → {}); resetting the event cursor", startTime,
                    status.startTime());
        }
        startTime = status.startTime();
        uptime = status.uptime();
        uptimeReadAt = now;
    }

    /** One long-poll; returns whether a restart or a gap calls for a new subscription and a reconcile. */
    private boolean poll() throws SyncthingException {
        long timeout = Math.max(1, settings.getEventTimeout().toSeconds());
        JsonNode batch = client.get("/rest/events" + SyncthingClient.query(Map.of("events", MASK, "since", cursor,
                "timeout", timeout)), settings.getEventTimeout().plus(settings.getCallTimeout()));
        if (batch.size() == 0) {
            // An empty timeout is also what an old cursor gets after a restart: look whether it was one.
            SyncthingShareBackend.Status status = backend.readStatus();
            String before = startTime;
            long upBefore = uptime;
            if (!Objects.equals(before, status.startTime()) || status.uptime() + 2 < upBefore) {
                return true;
            }
            restartCheck(status);
            return false;
        }
        long firstId = id(batch.get(0));
        if (firstId <= cursor) {
            return true; // ids went back: a restart
        }
        boolean gap = cursor > 0 && firstId > cursor + 1;
        for (JsonNode event : batch.values()) {
            long id = id(event);
            if (id <= cursor) {
                continue;
            }
            cursor = id;
            handle(event);
        }
        if (gap) {
            gaps++;
            LOG.info("Syncthing dropped events {}..{} (its buffer holds 1,000); rescanning everything", cursor + 1,
                    firstId - 1);
            backend.events().somethingMissed();
        }
        return false;
    }

    private static long id(JsonNode event) {
        JsonNode id = event.get("id");
        return id != null && id.isNumber() ? id.getLongValue() : 0;
    }

    private void handle(JsonNode event) {
        String type = SyncthingShareBackend.text(event, "type");
        JsonNode data = event.get("data");
        if (type == null || data == null) {
            return;
        }
        ShareEvents events = backend.events();
        switch (type) {
            case "PendingDevicesChanged" -> {
                if (hasItems(data, "added")) {
                    queueDeviceRound();
                }
            }
            case "PendingFoldersChanged" -> {
                if (hasItems(data, "added")) {
                    events.offersChanged();
                }
            }
            case "ItemFinished" -> {
                JsonNode error = data.get("error");
                String item = SyncthingShareBackend.text(data, "item");
                if ((error == null || error.isNull()) && item != null && !item.contains(CONFLICT_COPY)) {
                    changed(SyncthingShareBackend.text(data, "folder"), item);
                }
            }
            case "LocalIndexUpdated" -> {
                JsonNode names = data.get("filenames");
                if (names != null) {
                    for (JsonNode name : names.values()) {
                        if (name.isString() && name.getStringValue().endsWith(".trophy")
                                && !name.getStringValue().contains(CONFLICT_COPY)) {
                            changed(SyncthingShareBackend.text(data, "folder"), name.getStringValue());
                            break;
                        }
                    }
                }
            }
            case "FolderSummary" -> {
                String folder = SyncthingShareBackend.text(data, "folder");
                JsonNode summary = data.get("summary");
                JsonNode need = summary == null ? null : summary.get("needFiles");
                if (folder != null && need != null && need.isNumber()) {
                    Long before = needFiles.put(folder, need.getLongValue());
                    if (need.getLongValue() == 0 && before != null && before > 0) {
                        changed(folder, null); // a backlog finished: one scan sees whatever an event missed
                    }
                }
            }
            case "FolderErrors" -> {
                String folder = SyncthingShareBackend.text(data, "folder");
                JsonNode errors = data.get("errors");
                if (folder != null) {
                    if (errors == null || errors.size() == 0) {
                        folderErrors.remove(folder);
                    } else {
                        folderErrors.put(folder, errors.size() + " files");
                    }
                }
            }
            case "DeviceConnected" -> connections++;
            case "DeviceDisconnected" -> connections = Math.max(0, connections - 1);
            default -> {
            }
        }
    }

    private static boolean hasItems(JsonNode data, String field) {
        JsonNode list = data.get(field);
        return list != null && list.size() > 0;
    }

    private void changed(String folder, String item) {
        if (folder == null) {
            return;
        }
        String share = backend.shareOf(folder);
        if (share == null) {
            try {
                backend.refreshFolders();
            } catch (SyncthingException e) {
                return;
            }
            share = backend.shareOf(folder);
            if (share == null) {
                return; // not one of ours (yet): the acceptance round scans it once it is
            }
        }
        Path root = backend.folderPathOf(share);
        backend.events().shareChanged(share, item == null || root == null ? null : root.resolve(item));
    }

    /** Pending devices are added (or refused) off the event thread; a burst of dials costs one round. */
    private void queueDeviceRound() {
        if (!deviceRoundQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            deviceWorker.execute(() -> {
                deviceRoundQueued.set(false);
                try {
                    String myId = backend.readStatus().myId();
                    if (myId != null) {
                        backend.acceptDevices(myId);
                    }
                } catch (SyncthingException e) {
                    LOG.debug("adding pending devices: {}; the offer timer tries again", e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            deviceRoundQueued.set(false);
        }
    }
}
