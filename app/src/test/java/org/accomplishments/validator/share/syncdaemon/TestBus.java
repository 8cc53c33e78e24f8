package org.accomplishments.validator.share.syncdaemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private D-Bus session bus: a real {@code dbus-daemon} listening on a socket in its own temporary directory,
 * so tests never touch a desktop's session bus and can run side by side.
 *
 * <p>{@link #stop()} and {@link #start()} again reuse the same socket path, so {@link #address()} stays valid
 * across restarts: that is how a test makes the bus go away and come back.
 */
public final class TestBus implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    // sockaddr_un.sun_path holds 108 bytes including the terminating NUL
    private static final int MAX_SOCKET_PATH = 107;

    private final Path directory;
    private final Path socket;
    private final Path log;
    private Process process;

    /** Creates a temporary directory for the socket and starts the bus in it. */
    public TestBus() {
        try {
            this.directory = Files.createTempDirectory("testbus");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the test bus", e);
        }
        this.socket = directory.resolve("bus");
        this.log = directory.resolve("dbus-daemon.log");
        try {
            start();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * The bus address, {@code unix:path=<dir>/bus}. Deliberately without the {@code guid=} part that dbus-daemon
     * prints: every daemon start has a new guid, and a client given a guid refuses a bus with another one, which
     * would break reconnecting after {@link #stop()} and {@link #start()}.
     */
    public String address() {
        return "unix:path=" + socket;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the daemon again on the same socket path (after {@link #stop()}); a no-op while it runs. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        if (socket.toString().length() > MAX_SOCKET_PATH) {
            throw new IllegalStateException("socket path too long for a unix socket (" + socket.toString().length()
                    + " > " + MAX_SOCKET_PATH + " bytes): " + socket + "; set java.io.tmpdir to a shorter directory");
        }
        Path printed = directory.resolve("address");
        List<String> command = List.of("dbus-daemon", "--session", "--nofork", "--nopidfile",
                "--address=" + address(),
                // "=1" (stdout) matters: a bare --print-address takes the next argument as its file descriptor
                "--print-address=1");
        try {
            Files.deleteIfExists(printed);
            process = new ProcessBuilder(command)
                    .redirectOutput(printed.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + " (is dbus-daemon installed?): " + e, e);
        }
        String line = waitForAddressLine(printed);
        if (!line.startsWith(address() + ",") && !line.equals(address())) {
            stop();
            throw new IllegalStateException("dbus-daemon printed the address '" + line + "', expected one on "
                    + socket + logTail());
        }
    }

    /** Polls the file dbus-daemon prints its address into: it is ready once that line is complete. */
    private String waitForAddressLine(Path printed) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String text = Files.exists(printed) ? Files.readString(printed, StandardCharsets.UTF_8) : "";
                int newline = text.indexOf('\n');
                if (newline >= 0) {
                    return text.substring(0, newline).trim();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("dbus-daemon exited with " + process.exitValue()
                        + " before printing its address" + logTail());
            }
            sleep(10);
        }
        stop();
        throw new IllegalStateException("dbus-daemon did not print its address within "
                + START_TIMEOUT.toSeconds() + " s" + logTail());
    }

    /** Terminates the daemon (SIGTERM, SIGKILL if it lingers) and waits for it; clients see the bus vanish. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** The end of dbus-daemon's stderr, for failure messages. */
    public String logTail() {
        return TestSyncDaemon.tail("dbus-daemon log " + log, log);
    }

    /** Stops the daemon and removes the temporary directory. */
    @Override
    public void close() {
        stop();
        deleteRecursively(directory);
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temp directory must not fail a test
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
