package org.accomplishments.validator.share.syncdaemon;

import org.freedesktop.dbus.messages.MethodCall;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The connection to the session bus and the daemon's presence on it. Connects in the background, reconnects with a
 * doubling delay when the bus is unreachable or the connection breaks, and follows the daemon's well-known name, so
 * the service starts and keeps serving whether or not the bus and the daemon are there.
 * <p>
 * Signals are handled on one thread in the order they arrived, which keeps a {@code NameOwnerChanged} ahead of the
 * first signal the new daemon sends; signals from anyone but the daemon's current connection are dropped.
 */
final class SyncDaemonLink implements AutoCloseable {
    static final String BUS_NAME = "com.ubuntuone.SyncDaemon";
    private static final Logger LOG = LoggerFactory.getLogger(SyncDaemonLink.class);
    private static final List<Class<? extends DBusSignal>> DAEMON_SIGNALS = List.of(
            SyncDaemonShares.NewShare.class, SyncDaemonShares.ShareChanged.class, SyncDaemonShares.ShareDeleted.class,
            SyncDaemonShares.ShareAnswerResponse.class, SyncDaemonShares.ShareSubscribed.class,
            SyncDaemonShares.ShareUnSubscribed.class, SyncDaemonShares.ShareSubscribeError.class,
            SyncDaemonStatus.DownloadFinished.class);

    /** What the backend hears from the link. Called on the link's threads; must return quickly. */
    interface Listener {
        /** The daemon is on the bus: first connect, a new connection, or the daemon (re)started. */
        void daemonAppeared(String uniqueName);

        /** The daemon or the bus went away: nothing will answer until {@link #daemonAppeared}. */
        void daemonLost(String why);

        /** A signal from the daemon. */
        void signal(DBusSignal signal);
    }

    /** The link as {@code /health} shows it. */
    record State(boolean connected, String daemon, String detail) {
        boolean up() {
            return connected && daemon != null;
        }
    }

    private final String address;
    private final SyncDaemonSettings settings;
    private final Listener listener;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "syncdaemon-link");
        t.setDaemon(true);
        return t;
    });

    private volatile DBusConnection connection;
    private volatile String daemon;
    private volatile String problem;
    private volatile String daemonStatus = "";
    private volatile boolean closed;
    private int failures;
    private Instant lastActivation = Instant.MIN;
    private ScheduledFuture<?> watchdog;

    /** @param address the bus address, or {@code null} when none is configured */
    SyncDaemonLink(String address, SyncDaemonSettings settings, Listener listener, Clock clock) {
        this.address = address;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        this.problem = address == null
                ? "no D-Bus address: set validator.shares.syncdaemon.bus-address or DBUS_SESSION_BUS_ADDRESS"
                : "connecting to " + address;
    }

    void start() {
        // The call timeout is a process-wide dbus-java setting; this backend is its only user in the service.
        MethodCall.setDefaultTimeout(settings.getCallTimeout().toMillis());
        if (address != null) {
            timer.execute(this::connect);
        }
    }

    State state() {
        DBusConnection c = connection;
        if (c == null) {
            return new State(false, null, problem);
        }
        String d = daemon;
        if (d == null) {
            return new State(true, null, "connected to " + address + "; " + problem);
        }
        return new State(true, d, "connected to " + address + "; sync daemon " + BUS_NAME + " is " + d
                + (daemonStatus.isEmpty() ? "" : " (" + daemonStatus + ")"));
    }

    /** A proxy of one of the daemon's objects on the current connection. */
    <T extends org.freedesktop.dbus.interfaces.DBusInterface> T remote(String path, Class<T> type) throws DBusException {
        DBusConnection c = connection;
        if (c == null) {
            throw new DBusException("not connected to the bus: " + problem);
        }
        if (daemon == null) {
            throw new DBusException("the sync daemon is not on the bus: " + problem);
        }
        return c.getRemoteObject(BUS_NAME, path, type);
    }

    private void connect() {
        if (closed || connection != null) {
            return;
        }
        DBusConnection c;
        try {
            c = DBusConnectionBuilder.forAddress(address)
                    .withShared(false)
                    .withDisconnectCallback(new IDisconnectCallback() {
                        @Override
                        public void disconnectOnError(IOException e) {
                            timer.execute(() -> lost("the bus connection broke: " + e.getMessage()));
                        }
                    })
                    .receivingThreadConfig().withSignalThreadCount(1).connectionConfig()
                    .build();
        } catch (DBusException | RuntimeException e) {
            retryLater("cannot connect to the bus at " + address + ": " + message(e));
            return;
        }
        try {
            for (Class<? extends DBusSignal> type : DAEMON_SIGNALS) {
                addHandler(c, type);
            }
            c.addSigHandler(DBus.NameOwnerChanged.class, this::nameOwnerChanged);
        } catch (DBusException | RuntimeException e) {
            c.disconnect();
            retryLater("cannot listen to the sync daemon's signals: " + message(e));
            return;
        }
        connection = c;
        failures = 0;
        LOG.info("connected to the D-Bus bus at {}", address);
        try {
            lookForDaemon(true);
        } catch (DBusException | RuntimeException e) {
            lost("the bus stopped answering: " + message(e));
            return;
        }
        long every = settings.getWatchdogInterval().toMillis();
        watchdog = timer.scheduleWithFixedDelay(this::watch, every, every, TimeUnit.MILLISECONDS);
    }

    private <T extends DBusSignal> void addHandler(DBusConnection c, Class<T> type) throws DBusException {
        c.addSigHandler(type, signal -> {
            String from = daemon;
            if (from == null || !from.equals(signal.getSource())) {
                LOG.debug("ignoring {} from {}: not the sync daemon ({})", type.getSimpleName(), signal.getSource(),
                        from);
                return;
            }
            try {
                listener.signal(signal);
            } catch (RuntimeException e) {
                LOG.warn("handling {} failed: {}", type.getSimpleName(), e.toString());
            }
        });
    }

    private void nameOwnerChanged(DBus.NameOwnerChanged change) {
        if (BUS_NAME.equals(change.name)) {
            daemonIs(change.newOwner == null || change.newOwner.isEmpty() ? null : change.newOwner,
                    "the sync daemon left the bus");
        }
    }

    /** Who owns the daemon's name now; with {@code activate}, asks the bus to start it when nobody does. */
    private void lookForDaemon(boolean activate) throws DBusException {
        DBus bus = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
        String owner = bus.NameHasOwner(BUS_NAME) ? bus.GetNameOwner(BUS_NAME) : null;
        if (owner == null && activate && settings.isActivate()
                && Duration.between(lastActivation, clock.instant()).compareTo(settings.getReconnect().getMaxDelay()) >= 0) {
            lastActivation = clock.instant();
            try {
                bus.StartServiceByName(BUS_NAME, new UInt32(0));
                owner = bus.NameHasOwner(BUS_NAME) ? bus.GetNameOwner(BUS_NAME) : null;
                LOG.info("the bus started the sync daemon ({})", owner);
            } catch (DBusExecutionException e) {
                daemonIs(null, "the sync daemon is not running and the bus cannot start it: " + message(e));
                return;
            }
        }
        daemonIs(owner, "the sync daemon " + BUS_NAME + " is not on the bus; waiting for it to appear");
        if (owner != null) {
            try {
                var status = connection.getRemoteObject(BUS_NAME, SyncDaemonStatus.PATH, SyncDaemonStatus.class)
                        .currentStatus();
                daemonStatus = status.getOrDefault("name", "?")
                        + (ShareInfo.TRUE.equals(status.get("is_online")) ? ", online" : ", offline")
                        + (ShareInfo.TRUE.equals(status.get("is_error")) ? ", error: " + status.get("description") : "");
            } catch (DBusExecutionException e) {
                daemonStatus = "current_status() failed: " + message(e);
            }
        }
    }

    private synchronized void daemonIs(String owner, String whyAbsent) {
        String before = daemon;
        daemon = owner;
        if (owner == null) {
            problem = whyAbsent;
            daemonStatus = "";
        }
        if (Objects.equals(before, owner)) {
            return;
        }
        if (owner != null) {
            LOG.info("sync daemon {} is on the bus as {}", BUS_NAME, owner);
            listener.daemonAppeared(owner);
        } else if (before != null) {
            LOG.warn("{}", whyAbsent);
            listener.daemonLost(whyAbsent);
        }
    }

    private void watch() {
        if (closed || connection == null) {
            return;
        }
        try {
            lookForDaemon(daemon == null);
        } catch (DBusException | RuntimeException e) {
            lost("the bus stopped answering: " + message(e));
        }
    }

    /** Drops the connection (if still current) and starts reconnecting. Runs on the link's thread. */
    private void lost(String why) {
        DBusConnection c = connection;
        if (c == null || closed) {
            return;
        }
        connection = null;
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        try {
            c.disconnect();
        } catch (RuntimeException e) {
            LOG.debug("disconnecting: {}", e.toString());
        }
        LOG.warn("lost the D-Bus connection: {}", why);
        daemonIs(null, why);
        retryLater(why);
    }

    private void retryLater(String why) {
        if (closed) {
            return;
        }
        failures++;
        long initial = settings.getReconnect().getInitialDelay().toMillis();
        long max = settings.getReconnect().getMaxDelay().toMillis();
        long delay = Math.min(max, initial << Math.min(failures - 1, 20));
        problem = why + "; next attempt in " + (delay < 1000 ? delay + " ms" : delay / 1000 + " s") + " (attempt "
                + failures + ")";
        if (failures == 1 || Long.bitCount(failures) == 1) {
            LOG.warn("{}", problem); // 1st, 2nd, 4th, 8th... failure: enough to see it, not a log flood
        }
        timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        DBusConnection c = connection;
        connection = null;
        if (c != null) {
            c.disconnect();
        }
    }
}
