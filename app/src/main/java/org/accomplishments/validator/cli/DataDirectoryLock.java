package org.accomplishments.validator.cli;

import org.accomplishments.validator.config.StartupRefusal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One service per data directory: {@code run} holds an OS lock on {@code validator.data-dir/validator.lock} for
 * the life of its JVM (the kernel drops it when the process ends, killed or not, so a stale file never blocks a
 * start). A second start finds it held and says so in one sentence, with the holder's PID, before it touches the
 * database; checking H2's own lock instead left a window while the first one was still starting.
 */
final class DataDirectoryLock {
    static final String FILE_NAME = "validator.lock";

    /** Held, never closed: closing the channel would release the lock. */
    private static FileChannel held;

    private DataDirectoryLock() {
    }

    /**
     * Takes the lock, or refuses the start with {@link ExitCodes#ALREADY_RUNNING}. A directory that cannot be
     * created or written is left to {@code DataDirectoryCheck}, which names what is wrong with it.
     */
    static void acquire(Path dataDir) throws StartupRefusal {
        acquire(dataDir, "stop it before starting the service again on this directory.");
    }

    /**
     * The same for another command that must not run beside the service ({@code restore}): held until this JVM
     * ends, so no service can start while it works; {@code advice} ends the refusal's sentence.
     */
    static synchronized void acquire(Path dataDir, String advice) throws StartupRefusal {
        if (held != null) {
            return;
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            close(channel);
            return; // a file system without locks: the database's own lock still guards it
        }
        if (lock == null) {
            close(channel);
            Optional<Long> pid = holder(file);
            throw new StartupRefusal(ExitCodes.ALREADY_RUNNING, "already running: "
                    + pid.map(p -> "the process " + p).orElse("another process")
                    + " holds the lock " + file + " on the data directory " + dir + "; " + advice);
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
        } catch (IOException e) {
            // The PID is only a hint for the message above; the lock is what counts.
        }
        held = channel;
    }

    /** The PID the holder wrote, when that process still exists. */
    static Optional<Long> holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            long pid = Long.parseLong(text);
            return ProcessHandle.of(pid).isPresent() ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing held
        }
    }
}
