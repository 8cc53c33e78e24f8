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
 *       run's unique working directory, and usually its working directory. A sweep of {@code /proc} kills every
 *       live process whose environment or cwd carries that directory, repeating until a sweep finds none.</li>
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
     * @param script   the started script; its pid is its process-group id
     * @param workDir  the run's unique working directory, the marker its processes carry
     * @param existing the pids that existed before the script was started ({@link #pidsNow()}): none of them can
     *                 be the run's, so only newer processes are examined (reading every process's environment
     *                 after every run cost more than the rest of a validation). A pid the kernel recycled within
     *                 one run would be missed; Linux hands out pids in increasing order up to pid_max first.
     */
    static int killTree(Process script, Path workDir, Set<Long> existing) {
        long pgid = script.pid();
        String home = "HOME=" + workDir;
        String tmp = "TMPDIR=" + workDir;
        Set<Long> strays = new LinkedHashSet<>();
        long self = ProcessHandle.current().pid();

        // Taken first: once the script dies its children are re-parented and no longer its descendants.
        List<ProcessHandle> descendants = new ArrayList<>();
        script.descendants().forEach(descendants::add);
        descendants.forEach(d -> strays.add(d.pid()));

        boolean scriptAlive = script.isAlive();
        List<Member> before = scan(self, pgid, home, tmp, workDir, existing);
        before.forEach(m -> strays.add(m.pid));
        // Once the script has exited and been reaped its pid (= pgid) could in theory be reused. Then only signal
        // the group when a live member proves the id is still ours (a member keeps the id from being reallocated).
        boolean groupAlive = scriptAlive || before.stream().anyMatch(m -> m.pgrp == pgid);
        if (groupAlive) {
            killGroup(pgid);
        }
        // Through the handle, not Process.destroyForcibly(): that one also closes our ends of the pipes, and output
        // the pumps have not read yet (a script that printed and exited a moment ago) would be lost.
        script.toHandle().destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);

        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            List<Member> found = scan(self, pgid, home, tmp, workDir, existing);
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

    /** The pids alive now (a directory listing of /proc, no file read). */
    static Set<Long> pidsNow() {
        Set<Long> pids = new java.util.HashSet<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC)) {
            for (Path dir : procs) {
                String name = dir.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                    try {
                        pids.add(Long.parseLong(name));
                    } catch (NumberFormatException ignored) {
                        // not a process
                    }
                }
            }
        } catch (IOException | SecurityException e) {
            // no /proc: nothing to skip
        }
        return pids;
    }

    /** Live (not zombie) processes of this run: in its group or session, or carrying its directory. */
    private static List<Member> scan(long self, long pgid, String home, String tmp, Path workDir,
                                     Set<Long> existing) {
        List<Member> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC)) {
            for (Path dir : procs) {
                String name = dir.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(name);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == self || existing.contains(pid)) {
                    continue;
                }
                Optional<String> statText = read(dir.resolve("stat"));
                if (statText.isEmpty()) {
                    continue; // gone meanwhile
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
                if (pgrp == pgid || session == pgid || carriesMarker(dir, home, tmp) || livesIn(dir, workDir)) {
                    found.add(new Member(pid, pgrp));
                }
            }
        } catch (IOException | SecurityException e) {
            // No /proc (not Linux): only the group kill and the descendants net apply.
        }
        return found;
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
