package org.accomplishments.validator.share.syncdaemon;

import org.accomplishments.validator.share.AcceptOutcome;
import org.accomplishments.validator.share.ShareBackendContract.RecordingEvents;
import org.accomplishments.validator.share.ShareOffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the backend behaves with the daemon and the bus misbehaving: answers that say No or never come, signals that
 * are failures or forgeries, a daemon that is absent, restarts or is started by the bus, a bus that goes away.
 */
class SyncDaemonShareBackendTest {
    @TempDir
    Path work;
    private final RecordingEvents events = new RecordingEvents();
    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private <T extends AutoCloseable> T running(T thing) {
        running.add(thing);
        return thing;
    }

    private SyncDaemonShareBackend backend(BackendSettings settings) {
        SyncDaemonShareBackend backend = running(new SyncDaemonShareBackend(settings, Clock.systemUTC()));
        backend.start(events);
        return backend;
    }

    private TestBus bus;
    private TestSyncDaemon daemon;
    private SyncDaemonShareBackend backend;

    /** A bus, the test sync daemon on it (with these arguments) and a backend connected to both. */
    private void connect(Duration answerTimeout, String... daemonArguments) {
        bus = running(new TestBus());
        daemon = running(new TestSyncDaemon(bus.address(), work, daemonArguments));
        backend = backend(BackendSettings.on(bus.address()).withAnswerTimeout(answerTimeout));
        SyncDaemonShareBackendContractTest.awaitUp(backend, Duration.ofSeconds(10));
    }

    private static ShareOffer offered(SyncDaemonShareBackend backend, String id) throws Exception {
        return backend.offers().stream().filter(o -> o.shareId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not offered"));
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + ": " + what);
            }
            TestBus.sleep(20);
        }
    }

    @Test
    void anAcceptTheDaemonAnswersNoIsAFailureToRetryWithTheDaemonsError() throws Exception {
        connect(Duration.ofSeconds(2), "--answer", "no");
        String id = daemon.control().offer("alice", "Alice", "alice Trophies Folder");

        var failed = assertInstanceOf(AcceptOutcome.Failed.class, backend.accept(offered(backend, id)));

        assertTrue(failed.reason().contains("answered 'No'") && failed.reason().contains("the server refused"),
                failed.reason());
        assertTrue(failed.retryable());
        assertFalse(offered(backend, id).acceptedAtBackend());
    }

    @Test
    void anAcceptNobodyAnswersTimesOutOnItsOwnWhileTheOffersBehindItAreAnswered() throws Exception {
        connect(Duration.ofMillis(1500));
        String silent = daemon.control().offer("bob", "Bob", "bob Trophies Folder");
        String answered = daemon.control().offer("carol", "Carol", "carol Trophies Folder");
        daemon.control().setAnswerFor(silent, "silent");
        ShareOffer silentOffer = offered(backend, silent);
        ShareOffer answeredOffer = offered(backend, answered);

        long started = System.nanoTime();
        var pending = backend.acceptAsync(silentOffer).toCompletableFuture();
        var accepted = backend.acceptAsync(answeredOffer).toCompletableFuture();

        assertInstanceOf(AcceptOutcome.Accepted.class, accepted.get(5, TimeUnit.SECONDS));
        long answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(answeredMillis < 1000, "the answered offer waited for the silent one: " + answeredMillis + " ms");
        assertFalse(pending.isDone(), "the silent offer cannot have an answer yet");
        var timedOut = assertInstanceOf(AcceptOutcome.Failed.class, pending.get(5, TimeUnit.SECONDS));
        assertTrue(timedOut.reason().contains("no answer from the sync daemon to accept_share within 1500 ms"),
                timedOut.reason());
        assertTrue(timedOut.retryable());

        daemon.control().setAnswerFor(silent, "");
        backend.offers(); // the next round asks again
        assertInstanceOf(AcceptOutcome.Accepted.class, backend.accept(offered(backend, silent)));
        assertTrue(offered(backend, silent).acceptedAtBackend());
    }

    @Test
    void aSubscribeTheDaemonRefusesIsAFailureWithItsError() throws Exception {
        connect(Duration.ofSeconds(2));
        String id = daemon.control().offer("olivia", "Olivia", "olivia Trophies Folder");
        ShareOffer pending = offered(backend, id);
        // Believed accepted (a stale listing): accept_share is skipped, and the daemon refuses the subscription.
        ShareOffer believedAccepted = new ShareOffer(pending.shareId(), pending.owner(), pending.visibleName(),
                pending.name(), pending.folder(), true);

        var failed = assertInstanceOf(AcceptOutcome.Failed.class, backend.accept(believedAccepted));

        assertTrue(failed.reason().contains("subscribe failed") && failed.reason().contains("ShareSubscribeError"),
                failed.reason());
        assertTrue(failed.retryable());
    }

    @Test
    void aRefusedOfferIsRejectedAtTheDaemon() throws Exception {
        connect(Duration.ofSeconds(2));
        String id = daemon.control().offer("mallory", "Mallory", "mallory Trophies Folder");

        backend.decline(offered(backend, id));

        await(() -> daemon.control().calls().stream()
                .anyMatch(c -> c.member.equals("reject_share") && c.argument.equals(id)), Duration.ofSeconds(5),
                "reject_share(" + id + ")");
        await(() -> {
            try {
                return backend.offers().stream().noneMatch(o -> o.shareId().equals(id));
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(5), "the rejected offer leaves get_shares");
    }

    @Test
    void aFailedDownloadAndAForgedSignalRaiseNoChangeEvent() throws Exception {
        connect(Duration.ofSeconds(2));
        String id = daemon.control().offer("dave", "Dave", "dave Trophies Folder");
        ShareOffer offer = offered(backend, id);
        assertInstanceOf(AcceptOutcome.Accepted.class, backend.accept(offer));
        events.changed.clear();

        daemon.control().failDownload(id, "c/n.trophy");
        // Anyone else on the bus sending the daemon's signal is not the daemon.
        run(List.of("dbus-send", "--bus=" + bus.address(), "--type=signal", "/status",
                "com.ubuntuone.SyncDaemon.Status.DownloadFinished",
                "string:" + offer.folder().resolve("c/forged.trophy"), "dict:string:string:k,v"));
        // A real one afterwards proves the two before it were handled (one signal thread, in order) and ignored.
        daemon.control().deliver(id, "c/real.trophy", "[trophy]\n".getBytes(StandardCharsets.UTF_8));

        await(() -> !events.changed.isEmpty(), Duration.ofSeconds(5), "the real DownloadFinished");
        assertEquals(List.of(id), List.copyOf(events.changed));
    }

    @Test
    void aShareDeletedAtTheDaemonIsReportedGone() throws Exception {
        connect(Duration.ofSeconds(2));
        String id = daemon.control().offer("erin", "Erin", "erin Trophies Folder");
        assertInstanceOf(AcceptOutcome.Accepted.class, backend.accept(offered(backend, id)));

        daemon.control().delete(id);

        await(() -> events.gone.contains(id), Duration.ofSeconds(5), "shareGone(" + id + ")");
    }

    @Test
    void aDaemonAbsentAtStartIsReportedAndPickedUpWhenItAppears() throws Exception {
        TestBus bus = running(new TestBus());
        SyncDaemonShareBackend backend = backend(BackendSettings.on(bus.address()));
        await(() -> backend.health().detail().contains("not on the bus"), Duration.ofSeconds(5),
                "health saying the daemon is absent: " + backend.health().detail());
        assertFalse(backend.health().up());
        int missedBefore = events.missed;

        running(new TestSyncDaemon(bus.address(), work));

        SyncDaemonShareBackendContractTest.awaitUp(backend, Duration.ofSeconds(5));
        await(() -> events.missed > missedBefore, Duration.ofSeconds(5), "a rescan asked for when it appeared");
    }

    @Test
    void aRestartedDaemonAndARestartedBusAreReconnectedAndRescanned() throws Exception {
        connect(Duration.ofSeconds(2));
        String id = daemon.control().offer("frank", "Frank", "frank Trophies Folder");
        assertInstanceOf(AcceptOutcome.Accepted.class, backend.accept(offered(backend, id)));

        int missed = events.missed;
        daemon.kill();
        await(() -> !backend.health().up(), Duration.ofSeconds(5), "health down without the daemon");
        daemon.start();
        SyncDaemonShareBackendContractTest.awaitUp(backend, Duration.ofSeconds(5));
        await(() -> events.missed > missed, Duration.ofSeconds(5), "a rescan after the daemon's restart");

        int missedAfterDaemon = events.missed;
        daemon.stop();
        bus.stop();
        await(() -> backend.health().detail().contains("next attempt"), Duration.ofSeconds(5),
                "health saying it reconnects: " + backend.health().detail());
        bus.start();
        daemon.start();
        SyncDaemonShareBackendContractTest.awaitUp(backend, Duration.ofSeconds(10));
        await(() -> events.missed > missedAfterDaemon, Duration.ofSeconds(5), "a rescan after the bus came back");

        events.changed.clear();
        daemon.control().deliver(id, "c/n.trophy", "[trophy]\n".getBytes(StandardCharsets.UTF_8));
        await(() -> events.changed.contains(id), Duration.ofSeconds(5), "events flow again on the new connection");
    }

    @Test
    void theBusConfigurationAndActivationFileStartTheDaemonOnFirstUse() throws Exception {
        // The packaged bus configuration, plus a service directory holding the packaged activation file with Exec=
        // pointed at the test sync daemon: proves both files are what dbus-daemon expects.
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path conf = repo.resolve("systemd/dbus/accomplishments-validator-bus.conf");
        Path services = Files.createDirectories(work.resolve("services"));
        String activation = Files.readString(repo.resolve("systemd/dbus/services/com.ubuntuone.SyncDaemon.service"));
        Files.createDirectories(work.resolve("shares"));
        String exec = "Exec=" + String.join(" ", TestSyncDaemon.PYTHON, TestSyncDaemon.script().toString(),
                "--shares-dir", work.resolve("shares").toString());
        Files.writeString(services.resolve("com.ubuntuone.SyncDaemon.service"),
                activation.replaceAll("(?m)^Exec=.*$", exec));
        Path testConf = work.resolve("bus.conf");
        Files.writeString(testConf, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <include>%s</include>
                  <servicedir>%s</servicedir>
                </busconfig>
                """.formatted(conf, services));
        Path socket = work.resolve("bus");
        Process dbus = new ProcessBuilder("dbus-daemon", "--config-file=" + testConf, "--nofork", "--nopidfile",
                "--address=unix:path=" + socket).redirectErrorStream(true)
                .redirectOutput(work.resolve("dbus.log").toFile()).start();
        running(() -> {
            dbus.descendants().forEach(ProcessHandle::destroy);
            dbus.destroy();
            dbus.waitFor(5, TimeUnit.SECONDS);
        });
        await(() -> Files.exists(socket), Duration.ofSeconds(5), "the bus socket");

        SyncDaemonShareBackend backend = backend(BackendSettings.on("unix:path=" + socket).activating());

        SyncDaemonShareBackendContractTest.awaitUp(backend, Duration.ofSeconds(15));
        assertTrue(backend.offers().isEmpty());
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), command + ": " + out);
    }
}
