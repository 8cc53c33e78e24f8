package org.accomplishments.validator.validation.script;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one accomplishment's logic script for one trophy and reports how it ended.
 *
 * <p>The script is the admin's, but its inputs are a stranger's, and the script itself may hang, fork, flood its
 * output or crash. So: no shell anywhere, a scrubbed environment, a private working directory, a time limit that
 * kills the whole process tree (see {@link ProcessTreeKiller}), bounded output, and a cap on concurrent runs.
 *
 * <p>{@link #run} blocks; callers bring their own threads. It never throws for anything a script or its inputs can
 * cause: every ending is a {@link ScriptOutcome}.
 */
public final class LogicScriptRunner {
    private static final System.Logger LOG = System.getLogger(LogicScriptRunner.class.getName());
    /** How long to wait for the killed script to be reaped. */
    private static final long PUMP_GRACE_MS = 2_000;
    /** How util-linux setsid reports that it could not exec the script (it exits 126 or 127 then). */
    private static final String SETSID_EXEC_FAILURE = "setsid: failed to execute ";

    private final ScriptSettings settings;
    private final AdaptiveLimit slots;

    public LogicScriptRunner(ScriptSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        // Fair, so a burst of trophies is served in arrival order and no run starves; adaptive up to the ceiling.
        this.slots = new AdaptiveLimit(settings.maxConcurrent(), settings.memoryReserveBytes());
    }

    public ScriptSettings settings() {
        return settings;
    }

    /** How many scripts may run at once right now (adapted between the core count and the ceiling). */
    public int concurrencyLimit() {
        return slots.limit();
    }

    public ScriptRun run(ScriptInvocation invocation) {
        Objects.requireNonNull(invocation, "invocation");
        Optional<String> unrunnable = checkRunnable(invocation.script());
        if (unrunnable.isPresent()) {
            return ScriptRun.notStarted(unrunnable.get());
        }
        Optional<String> launcher = ProcessTreeKiller.verifySetsidExecsInPlace();
        if (launcher.isPresent()) {
            return ScriptRun.notStarted(launcher.get());
        }
        try {
            // Waiting for a slot is not the script's time: its limit starts when it starts.
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ScriptRun(new ScriptOutcome.Cancelled("interrupted while waiting for a free script slot"),
                    "", "", 0, 0, Duration.ZERO, 0);
        }
        long started = System.nanoTime();
        try {
            return runInSlot(invocation);
        } finally {
            slots.release(System.nanoTime() - started);
        }
    }

    private ScriptRun runInSlot(ScriptInvocation invocation) {
        Path workDir;
        try {
            workDir = createWorkDir();
        } catch (IOException e) {
            return ScriptRun.notStarted("cannot create a working directory under " + settings.workRoot() + ": " + e);
        }
        try {
            ScriptEnvironment.Built env = ScriptEnvironment.build(settings, invocation, workDir);
            if (env instanceof ScriptEnvironment.Built.Refused refused) {
                return ScriptRun.notStarted(refused.reason());
            }
            return start(invocation.script(), ((ScriptEnvironment.Built.Ready) env).variables(), workDir);
        } finally {
            deleteTree(workDir);
        }
    }

    private ScriptRun start(Path script, java.util.Map<String, String> env, Path workDir) {
        // Never a shell string: the script path and nothing else is the argument list. "--" ends setsid's options.
        ProcessBuilder pb = new ProcessBuilder(List.of(ProcessTreeKiller.SETSID.toString(), "--", script.toString()));
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.directory(workDir.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));

        long startNanos = System.nanoTime();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return ScriptRun.notStarted("cannot start " + script + ": " + e.getMessage());
        }
        TailBuffer out = new TailBuffer(settings.outputCapBytes());
        TailBuffer err = new TailBuffer(settings.outputCapBytes());
        OutputDrain drain = new OutputDrain(process.getInputStream(), out, process.getErrorStream(), err);

        ScriptOutcome outcome = null;
        boolean interrupted = false;
        long deadline = startNanos + settings.timeout().toNanos();
        try {
            // The calling thread is the reader: no pump threads. It drains both pipes whenever it wakes and waits
            // for the exit in between; the JDK wakes waitFor at once when the script exits.
            long pause = OutputDrain.MIN_PAUSE_NANOS;
            while (true) {
                boolean moved = drain.drainAvailable();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    outcome = process.isAlive() ? new ScriptOutcome.TimedOut(settings.timeout()) : null;
                    break;
                }
                // A full pipe blocks the writer: come back soon while output flows, rarely while it does not.
                pause = moved ? OutputDrain.MIN_PAUSE_NANOS : Math.min(pause * 2, OutputDrain.MAX_PAUSE_NANOS);
                if (process.waitFor(Math.min(left, pause), TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
            outcome = new ScriptOutcome.Cancelled("interrupted while the script was running");
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        // Always, also after a normal exit: a finished run leaves no process behind (background jobs, daemons).
        int strays = ProcessTreeKiller.killTree(process, workDir);
        try {
            // SIGKILLed, so this is immediate unless the kernel holds it in an uninterruptible wait; bounded anyway.
            process.waitFor(PUMP_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        // The writers are dead (or an unknown process still holds a pipe): what is in the pipes is all we take,
        // without a read that could block on such a holder.
        drain.drainAvailable();
        drain.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        String stderr = err.text();
        if (outcome == null) {
            outcome = classify(process.exitValue(), stderr);
        }
        if (strays > 0) {
            LOG.log(System.Logger.Level.INFO, "{0} left {1} process(es) behind; killed", script, strays);
        }
        return new ScriptRun(outcome, out.text(), stderr, out.dropped(), err.dropped(), elapsed, strays);
    }

    private static ScriptOutcome classify(int exitValue, String stderr) {
        if ((exitValue == 126 || exitValue == 127) && stderr.startsWith(SETSID_EXEC_FAILURE)) {
            // The script vanished or lost its execute bit between our check and the exec.
            return new ScriptOutcome.NotStarted(stderr.strip());
        }
        // See KilledBySignal: 128 + n is how Java reports death by signal n; a real "exit 139" looks the same.
        if (exitValue > 128 && exitValue <= 128 + 64) {
            return new ScriptOutcome.KilledBySignal(exitValue - 128);
        }
        return new ScriptOutcome.Exited(exitValue);
    }

    /**
     * Refuses what the kernel would not run as intended. A file with neither a {@code #!} line nor the ELF magic
     * would be handed to {@code /bin/sh} by execvp's ENOEXEC fallback; we refuse instead of guessing.
     */
    static Optional<String> checkRunnable(Path script) {
        if (!Files.exists(script)) {
            return Optional.of(script + " does not exist");
        }
        if (!Files.isRegularFile(script)) {
            return Optional.of(script + " is not a regular file");
        }
        if (!Files.isExecutable(script)) {
            return Optional.of(script + " is not executable");
        }
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(script)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            return Optional.of(script + " cannot be read: " + e.getMessage());
        }
        boolean shebang = n >= 2 && head[0] == '#' && head[1] == '!';
        boolean elf = n == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
        if (!shebang && !elf) {
            return Optional.of(script + " is neither a #! script nor an ELF executable (exec format error)");
        }
        return Optional.empty();
    }

    private Path createWorkDir() throws IOException {
        Files.createDirectories(settings.workRoot());
        // Private to the service user: other local users must not read what a script fetched about a stranger.
        return Files.createTempDirectory(settings.workRoot(), "run-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /**
     * Removes run directories older than {@code age} that a process killed mid-run left behind. Runs delete their
     * own directory, and none lasts longer than the time limit, so an old one belongs to nobody.
     *
     * @return how many were removed
     */
    public int removeStaleWorkDirectories(java.time.Duration age) {
        Path root = settings.workRoot();
        if (!Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        java.time.Instant cutoff = java.time.Instant.now().minus(age);
        int removed = 0;
        try (java.nio.file.DirectoryStream<Path> runs = Files.newDirectoryStream(root, "run-*")) {
            for (Path run : runs) {
                BasicFileAttributes attrs = Files.readAttributes(run, BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (!attrs.lastModifiedTime().toInstant().isAfter(cutoff)) {
                    deleteTree(run);
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot clean " + root, e);
        }
        return removed;
    }

    /**
     * Deletes the run's directory without following links (a script may leave a symlink to / behind) and despite
     * permissions it removed from its own subdirectories.
     */
    static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    try {
                        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
                    } catch (IOException | UnsupportedOperationException ignored) {
                        // try anyway
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                    Files.deleteIfExists(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            // nothing to do
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove script work directory " + dir, e);
        }
    }
}
