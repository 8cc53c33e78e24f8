package org.accomplishments.validator.share.syncdaemon;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test sync daemon ({@code src/test/syncdaemon/test_syncdaemon.py}) as a child process on a given bus.
 *
 * <p>Its stdout and stderr go to a log file (appended across restarts, its tail is quoted in failure messages).
 * It keeps its shares in a state file, so {@link #stop()} or {@link #kill()} then {@link #start()} brings back the
 * same shares, as a restarted real daemon would.
 *
 * <pre>{@code
 * try (TestBus bus = new TestBus();
 *      TestSyncDaemon daemon = new TestSyncDaemon(bus.address(), tempDir)) {
 *     String id = daemon.control().offer("alice", "Alice", "alice Trophies Folder");
 *     ...
 * }
 * }</pre>
 */
public final class TestSyncDaemon implements AutoCloseable {
    public static final String BUS_NAME = "com.ubuntuone.SyncDaemon";
    public static final String CONTROL_PATH = "/test/control";
    /** Debian's python: the python3 on PATH may be a build without the dbus module. */
    static final String PYTHON = "/usr/bin/python3";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern READY = Pattern.compile("(?m)^READY (:\\S+)$");

    private final String busAddress;
    private final Path sharesDir;
    private final Path stateFile;
    private final Path logFile;
    private final List<String> extraArguments;
    private Process process;
    private String uniqueName;
    private DBusConnection connection;

    /**
     * Starts the fixture with its shares directory {@code <workDir>/shares} (so the root is {@code workDir}),
     * state file {@code <workDir>/syncdaemon-state.json} and log {@code <workDir>/syncdaemon.log}.
     *
     * @param extraArguments more fixture arguments, e.g. {@code "--answer", "silent"}
     */
    public TestSyncDaemon(String busAddress, Path workDir, String... extraArguments) {
        this(busAddress, workDir.resolve("shares"), workDir.resolve("syncdaemon-state.json"),
                workDir.resolve("syncdaemon.log"), List.of(extraArguments));
    }

    public TestSyncDaemon(String busAddress, Path sharesDir, Path stateFile, Path logFile,
            List<String> extraArguments) {
        this.busAddress = busAddress;
        this.sharesDir = sharesDir.toAbsolutePath();
        this.stateFile = stateFile.toAbsolutePath();
        this.logFile = logFile.toAbsolutePath();
        this.extraArguments = List.copyOf(extraArguments);
        try {
            start();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The fixture script: {@code -Dsyncdaemon.fixture=...}, else found from the module or the repository root. */
    public static Path script() {
        String configured = System.getProperty("syncdaemon.fixture");
        List<Path> candidates = configured != null ? List.of(Path.of(configured))
                : List.of(Path.of("src/test/syncdaemon/test_syncdaemon.py"),
                        Path.of("app/src/test/syncdaemon/test_syncdaemon.py"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("test sync daemon script not found (looked for " + candidates
                + " from " + Path.of("").toAbsolutePath() + "); set -Dsyncdaemon.fixture=<path>");
    }

    /** Starts the fixture (again) and waits for its READY line; a no-op while it runs. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        if (!Files.isExecutable(Path.of(PYTHON))) {
            throw new IllegalStateException(PYTHON + " is missing; the fixture needs Debian's python3 with "
                    + "python3-dbus and python3-gi");
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, script().toString(),
                "--shares-dir", sharesDir.toString(), "--state", stateFile.toString(), "--address", busAddress));
        command.addAll(extraArguments);
        long logStart;
        try {
            Files.createDirectories(logFile.getParent());
            logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e, e);
        }
        uniqueName = waitForReady(logStart);
    }

    /**
     * Polls the log for the READY line written after {@code logStart}. Both streams go to the log file, so no
     * reader thread is needed and nothing can fill up a pipe and block the fixture.
     */
    private String waitForReady(long logStart) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            Matcher ready = READY.matcher(readFrom(logStart));
            if (ready.find()) {
                return ready.group(1);
            }
            if (!process.isAlive()) {
                int exit = process.exitValue();
                process = null;
                throw new IllegalStateException("the test sync daemon exited with " + exit
                        + " before it was ready" + logTail());
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("the test sync daemon printed no READY line within "
                        + READY_TIMEOUT.toSeconds() + " s" + logTail());
            }
            TestBus.sleep(10);
        }
    }

    private String readFrom(long offset) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            file.seek(offset);
            byte[] bytes = new byte[(int) Math.max(0, file.length() - offset)];
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The fixture's unique bus name (e.g. {@code :1.4}) from its last start. */
    public String uniqueName() {
        return uniqueName;
    }

    /** SIGTERM and wait; returns the exit code (0 expected). Fails if it does not exit in time (then killed). */
    public synchronized int stop() {
        if (process == null) {
            throw new IllegalStateException("the test sync daemon is not running");
        }
        Process stopping = process;
        stopping.destroy();
        try {
            if (!stopping.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new IllegalStateException("the test sync daemon ignored SIGTERM for "
                        + STOP_TIMEOUT.toSeconds() + " s and was killed" + logTail());
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the test sync daemon", e);
        }
        process = null;
        return stopping.exitValue();
    }

    /** SIGKILL and wait: a crash, with no chance to clean up. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Waits for the fixture to exit by itself (after {@code quit()}, or when it lost the bus: exit 4) and returns
     * its exit code.
     */
    public synchronized int waitForExit(Duration timeout) {
        if (process == null) {
            throw new IllegalStateException("the test sync daemon is not running");
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the test sync daemon did not exit within " + timeout + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        int exit = process.exitValue();
        process = null;
        return exit;
    }

    /**
     * A proxy of the control object, addressed by the well-known name so it keeps working across restarts of
     * the fixture. The dbus-java connection is made on first use (again if the bus went away) and closed by
     * {@link #close()}.
     */
    public synchronized SyncDaemonControl control() {
        try {
            if (connection == null || !connection.isConnected()) {
                closeConnection();
                connection = DBusConnectionBuilder.forAddress(busAddress).withShared(false).build();
            }
            return connection.getRemoteObject(BUS_NAME, CONTROL_PATH, SyncDaemonControl.class);
        } catch (DBusException e) {
            throw new IllegalStateException("cannot reach the control object on " + busAddress + ": " + e
                    + logTail(), e);
        }
    }

    public Path sharesDir() {
        return sharesDir;
    }

    public Path stateFile() {
        return stateFile;
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines of the fixture's log, for failure messages. */
    public String logTail() {
        return tail("test sync daemon log " + logFile, logFile);
    }

    static String tail(String title, Path file) {
        try {
            if (!Files.exists(file)) {
                return "\n(" + title + ": no such file)";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - 30), lines.size());
            return "\n--- last " + last.size() + " lines of " + title + " ---\n" + String.join("\n", last);
        } catch (IOException | UncheckedIOException e) {
            return "\n(" + title + " unreadable: " + e + ")";
        }
    }

    private void closeConnection() {
        if (connection != null) {
            connection.disconnect();
            connection = null;
        }
    }

    /** Closes the control connection and stops the fixture (killing it if it does not stop). */
    @Override
    public synchronized void close() {
        try {
            closeConnection();
        } finally {
            if (process != null) {
                try {
                    stop();
                } catch (IllegalStateException e) {
                    kill();
                }
            }
        }
    }
}
