package org.accomplishments.validator.share.syncdaemon;

import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareBackendContract;
import org.accomplishments.validator.share.ShareOffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The sync daemon backend, against a real dbus-daemon and the test sync daemon, passes the shared contract. */
class SyncDaemonShareBackendContractTest extends ShareBackendContract {
    @TempDir
    Path work;
    private TestBus bus;
    private TestSyncDaemon daemon;
    private SyncDaemonShareBackend backend;

    @Override
    protected ShareBackend backend() {
        if (backend == null) {
            bus = new TestBus();
            daemon = new TestSyncDaemon(bus.address(), work);
            backend = new SyncDaemonShareBackend(BackendSettings.on(bus.address()), Clock.systemUTC());
            backend.start(events);
            awaitUp(backend, Duration.ofSeconds(10));
        }
        return backend;
    }

    @Override
    protected String offerShare(String owner, String name) {
        backend();
        return daemon.control().offer(owner, Character.toUpperCase(owner.charAt(0)) + owner.substring(1), name);
    }

    @Override
    protected Path claimAgain(String shareId, String visibleName, String name) {
        return Path.of(daemon.control().claim(shareId, visibleName, name));
    }

    @Override
    protected void deliver(ShareOffer share, String relativePath, byte[] content) {
        daemon.control().deliver(share.shareId(), relativePath, content);
    }

    @AfterEach
    void stopDaemonAndBus() {
        if (daemon != null) {
            daemon.close();
        }
        if (bus != null) {
            bus.close();
        }
    }

    static void awaitUp(ShareBackend backend, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!backend.health().up()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("backend not up after " + timeout + ": " + backend.health().detail());
            }
            TestBus.sleep(20);
        }
    }
}
