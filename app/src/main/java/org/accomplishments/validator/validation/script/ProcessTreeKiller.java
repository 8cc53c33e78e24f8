package org.accomplishments.validator.validation.script;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Ends a script run's whole process tree, including processes that left it.
 *
 * <p>Why three nets, not {@code Process.descendants()}: a script's background job ({@code sleep 600 &}) is re-parented
 * to init as soon as the script exits, and a daemon that double-forks is re-parented at once; neither is a
 * descendant any more. Without native code the JVM can neither become a child subreaper nor create cgroups, so:
 * <ol>
 *   <li><b>Process group.</b> The script is started as {@code setsid -- script}. The JVM's child is never a process
 *       group leader (the JDK spawns without {@code setpgid}), so util-linux {@code setsid} calls {@code setsid()}
 *       itself and execs the script without forking: the script's pid is its session id and process-group id, and
 *       every child that does not ask for a new session stays in that group. {@code kill -KILL -- -<pgid>} signals
 *       the whole group in one kernel call, so a fork loop cannot outrun it. {@link #verifySetsidExecsInPlace()}
 *       checks the no-fork premise once, because if {@code setsid} forked, its parent would exit 0 at once and
 *       we would read "accomplished".</li>
 *   <li><b>Descendants.</b> {@code ProcessHandle.descendants()}, taken before the group is killed, catches children
 *       that changed process group but are still below the script.</li>
 *   <li><b>The run's marker.</b> A daemon that calls {@code setsid} ({@code (setsid sleep 600 &)}) leaves both the
 *       group and the tree. But it inherited the run's environment, whose {@code HOME} and {@code TMPDIR} are the
 *       run's unique working directory, and usually its working directory. A sweep of the pids handed out since
 *       the script started ({@link PidWindow}) kills every live process whose environment or cwd carries that
 *       directory, repeating until a sweep finds none.</li>
 * </ol>
 * What still escapes: a process that clears its environment, changes directory and starts a new session, i.e. a
 * script deliberately hiding (the scripts are the admin's, the threat is hostile <em>inputs</em>). The systemd unit's
 * {@code KillMode=control-group} bounds even those to the service's lifetime; per-run cgroups would close the gap.
 */
final class ProcessTreeKiller {
    static final Path SETSID = Path.of("/usr/bin/setsid");
    static final Path KILL = Path.of("/bin/kill");
    private static final Path PROC = Path.of("/proc");
    private static final int MAX_SWEEPS = 50;
    private static final long SWEEP_PAUSE_MS = 10;

    private static volatile Optional<String> setsidProblem;

    private ProcessTreeKiller() {
    }

    /**
     * Empty when {@code setsid} makes the started program its own session and group leader without forking;
     * otherwise why not. Checked once per JVM: it depends only on the JDK and util-linux in use.
     */
    static Optional<String> verifySetsidExecsInPlace() {
        Optional<String> cached = setsidProblem;
        if (cached != null) {
            return cached;
        }
        Optional<String> result = probeSetsid();
        // Only a definite answer is cached; a transient failure (e.g. out of processes) is checked again next time.
        if (result.isEmpty() || !result.get().startsWith("transient:")) {
            setsidProblem = result;
        }
        return result.map(r -> r.replaceFirst("^transient: ", ""));
    }

    private static Optional<String> probeSetsid() {
        if (!Files.isExecutable(SETSID)) {
            return Optional.of(SETSID + " (util-linux) is missing; it is needed to kill a script's whole process tree");
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(SETSID.toString(), "--", "/bin/cat", "/proc/self/stat");
            pb.environment().clear();
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of("transient: setsid probe did not finish");
            }
            Optional<long[]> stat = parseStat(new String(out, StandardCharsets.US_ASCII));
            long pid = p.pid();
            if (stat.isEmpty()) {
                return Optional.of("setsid probe printed no /proc stat line");
            }
            long[] s = stat.get(); // pid, ppid, pgrp, session
            if (s[0] != pid || s[2] != pid || s[3] != pid) {
                return Optional.of("setsid forked instead of exec'ing in place (pid " + pid + ", child " + s[0]
                        + ", pgrp " + s[2] + ", session " + s[3] + "); refusing to run scripts we could not kill");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("transient: setsid probe failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("transient: interrupted while probing setsid");
        }
    }

    /**
     * Kills the script (if still running) and everything it left behind. Returns how many processes other than the
     * script itself were found and killed.
     *
     * <p>What it costs is what the run did. Only pids the kernel handed out after the script's own are examined
     * ({@link PidWindow}): a trivial script that exited with nothing behind costs one read of
     * {@code /proc/sys/kernel/ns_last_pid} and a failed open per pid other processes took meanwhile, instead of a
     * sweep of every process on the machine. {@code ProcessHandle.descendants()} (itself a sweep of all of
     * {@code /proc}) is only taken while the script is still alive: after it exited, its children have been
     * re-parented and are no descendants any more, so the window's scan is the net that finds them.
     *
     * @param script  the started script; its pid is its process-group id
     * @param workDir the run's unique working directory, the marker its processes carry
     */
    static int killTree(Process script, Path workDir) {
        long pgid = script.pid();
        String home = "HOME=" + workDir;
        String tmp = "TMPDIR=" + workDir;
        Set<Long> strays = new LinkedHashSet<>();
        long self = ProcessHandle.current().pid();
        PidWindow window = new PidWindow(pgid);

        // Taken first: once the script dies its children are re-parented and no longer its descendants.
        List<ProcessHandle> descendants = new ArrayList<>();
        boolean scriptAlive = script.isAlive();
        if (scriptAlive) {
            script.descendants().forEach(descendants::add);
            descendants.forEach(d -> strays.add(d.pid()));
        }

        List<Member> before = scan(self, pgid, home, tmp, workDir, window);
        before.forEach(m -> strays.add(m.pid));
        if (!scriptAlive && before.isEmpty() && descendants.isEmpty()) {
            // Nothing of the run was alive at the scan, so nothing of it can have been started since: done.
            return 0;
        }
        // Once the script has exited and been reaped its pid (= pgid) could in theory be reused. Then only signal
        // the group when a live member proves the id is still ours (a member keeps the id from being reallocated).
        boolean groupAlive = scriptAlive || before.stream().anyMatch(m -> m.pgrp == pgid);
        if (groupAlive) {
            killGroup(pgid);
        }
        // Through the handle, not Process.destroyForcibly(): that one also closes our ends of the pipes, and output
        // not read yet (a script that printed and exited a moment ago) would be lost.
        script.toHandle().destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);

        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            List<Member> found = scan(self, pgid, home, tmp, workDir, window);
            found.removeIf(m -> m.pid == pgid && !script.isAlive());
            if (found.isEmpty()) {
                break;
            }
            for (Member m : found) {
                if (m.pid != pgid) {
                    strays.add(m.pid);
                }
                ProcessHandle.of(m.pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            try {
                Thread.sleep(SWEEP_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        strays.remove(pgid);
        return strays.size();
    }

    private static void killGroup(long pgid) {
        if (pgid <= 1) {
            return; // -1 or -0 would mean "every process" / "my own group"; never.
        }
        try {
            // An argument list, not a shell string; the JDK has no API to signal a process group.
            ProcessBuilder pb = new ProcessBuilder(KILL.toString(), "-KILL", "--", "-" + pgid);
            pb.environment().clear();
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process kill = pb.start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            // Without /bin/kill the sweep below still kills the group's members one by one.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Member(long pid, long pgrp) {
    }

    /**
     * The pids a run's processes can have: those the kernel handed out after the script's own, up to the last one
     * handed out when the window is read. Linux allocates pids in increasing order and wraps at pid_max, so every
     * process the script started (and everything those started) lies in (script pid, last pid], modulo one wrap.
     * A window too wide to probe pid by pid (a wrap, a busy machine, or no {@code ns_last_pid}) is read as a
     * listing of {@code /proc} filtered by the window.
     */
    static final class PidWindow {
        private static final Path LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");
        private static final Path PID_MAX = Path.of("/proc/sys/kernel/pid_max");
        /** Above this many candidate pids a directory listing is cheaper than one failed open per pid. */
        private static final long PROBE_LIMIT = 512;
        private static final long pidMax = readLong(PID_MAX).orElse(4_194_304L);
        private final long first;

        PidWindow(long scriptPid) {
            this.first = scriptPid;
        }

        /** The candidate pids up to {@code last}, or empty when they are to be found by listing /proc. */
        Optional<long[]> candidates(long last) {
            long count = last >= first ? last - first : pidMax - first + last;
            if (count < 0 || count > PROBE_LIMIT) {
                return Optional.empty();
            }
            long[] pids = new long[(int) count];
            long pid = first;
            for (int i = 0; i < count; i++) {
                pid = pid >= pidMax - 1 ? 1 : pid + 1;
                pids[i] = pid;
            }
            return Optional.of(pids);
        }

        /** Whether a pid can be the run's (including the script itself). */
        boolean covers(long pid, long lastNow) {
            return lastNow >= first ? pid >= first && pid <= lastNow : pid >= first || pid <= lastNow;
        }

        /** The last pid handed out; without ns_last_pid nothing can be excluded (the window is every pid). */
        Optional<Long> last() {
            return readLong(LAST_PID);
        }

        long everything() {
            return first - 1 > 0 ? first - 1 : pidMax;
        }
    }

    /**
     * A number from a sysctl file, in one read: sysctl files answer only a read at offset 0, so the JDK's
     * {@code Files.readString} (which reads a zero-sized file a byte at first) would see just the first digit.
     */
    static Optional<Long> readLong(Path file) {
        byte[] buf = new byte[32];
        try (java.io.FileInputStream in = new java.io.FileInputStream(file.toFile())) {
            int n = in.read(buf);
            return n <= 0 ? Optional.empty()
                    : Optional.of(Long.parseLong(new String(buf, 0, n, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Live (not zombie) processes of this run: in its group or session, or carrying its directory.
     *
     * <p>The marker (environment and cwd, two more reads) is only looked at for a process whose session began
     * inside the window. A process can only stay in its parent's session or start its own with {@code setsid()},
     * which makes the session id its own pid: so a run's process is either in the script's session or in one
     * whose id was handed out after the script's. The neighbours' processes, in their older sessions, then cost
     * one read of {@code stat} each.
     */
    private static List<Member> scan(long self, long pgid, String home, String tmp, Path workDir, PidWindow window) {
        List<Member> found = new ArrayList<>();
        Optional<Long> known = window.last();
        long last = known.orElse(window.everything());
        Optional<long[]> probe = known.flatMap(window::candidates);
        if (probe.isPresent()) {
            examine(probe.get(), self, pgid, home, tmp, workDir, window, last, found);
            return found;
        }
        List<Long> listed = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC)) {
            for (Path dir : procs) {
                String name = dir.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(name);
                    if (window.covers(pid, last)) {
                        listed.add(pid);
                    }
                } catch (NumberFormatException e) {
                    // not a process
                }
            }
        } catch (IOException | SecurityException e) {
            // No /proc (not Linux): only the group kill and the descendants net apply.
        }
        examine(listed.stream().mapToLong(Long::longValue).toArray(), self, pgid, home, tmp, workDir, window, last,
                found);
        return found;
    }

    private static void examine(long[] pids, long self, long pgid, String home, String tmp, Path workDir,
                                PidWindow window, long last, List<Member> found) {
        for (long pid : pids) {
            if (pid == self) {
                continue;
            }
            Path dir = PROC.resolve(Long.toString(pid));
            Optional<String> statText = read(dir.resolve("stat"));
            if (statText.isEmpty()) {
                continue; // no such process (any more)
            }
            String state = stateOf(statText.get());
            if (state.equals("Z") || state.equals("X")) {
                continue; // already dead; only its parent's wait() can remove it
            }
            Optional<long[]> stat = parseStat(statText.get());
            if (stat.isEmpty()) {
                continue;
            }
            long pgrp = stat.get()[2];
            long session = stat.get()[3];
            if (pgrp == pgid || session == pgid) {
                found.add(new Member(pid, pgrp));
            } else if (window.covers(session, last) && session != pgid
                    && (carriesMarker(dir, home, tmp) || livesIn(dir, workDir))) {
                found.add(new Member(pid, pgrp));
            }
        }
    }

    private static boolean carriesMarker(Path dir, String home, String tmp) {
        try {
            byte[] environ = Files.readAllBytes(dir.resolve("environ"));
            for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
                if (entry.equals(home) || entry.equals(tmp)) {
                    return true;
                }
            }
        } catch (IOException | SecurityException e) {
            // Another user's process: not ours.
        }
        return false;
    }

    private static boolean livesIn(Path dir, Path workDir) {
        try {
            Path cwd = Files.readSymbolicLink(dir.resolve("cwd"));
            return cwd.startsWith(workDir);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static String stateOf(String stat) {
        int close = stat.lastIndexOf(')');
        String rest = close < 0 ? "" : stat.substring(close + 1).trim();
        return rest.isEmpty() ? "" : rest.substring(0, 1);
    }

    /**
     * pid, ppid, pgrp and session from a {@code /proc/<pid>/stat} line. The command name in parentheses may itself
     * contain spaces and parentheses, so the fields are counted from the last ')'.
     */
    static Optional<long[]> parseStat(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return Optional.empty();
        }
        String[] rest = stat.substring(close + 1).trim().split(" ");
        try {
            long pid = Long.parseLong(stat.substring(0, open).trim());
            return Optional.of(new long[] {pid, Long.parseLong(rest[1]), Long.parseLong(rest[2]),
                    Long.parseLong(rest[3])});
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
