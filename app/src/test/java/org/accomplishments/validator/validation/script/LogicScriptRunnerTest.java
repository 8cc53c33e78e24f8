package org.accomplishments.validator.validation.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogicScriptRunnerTest {
    @TempDir
    Path tmp;
    Path scripts;
    Path workRoot;
    Path share;
    Path trophy;

    @BeforeEach
    void layout() throws IOException {
        scripts = Files.createDirectories(tmp.resolve("scripts"));
        workRoot = tmp.resolve("work");
        share = Files.createDirectories(tmp.resolve("share"));
        trophy = Files.createDirectories(share.resolve("ubuntu-community")).resolve("report-first-bug.trophy");
        Files.writeString(trophy, "[trophy]\n");
    }

    private LogicScriptRunner runner(Duration timeout) {
        return new LogicScriptRunner(ScriptSettings.defaults(workRoot, tmp.resolve("python")).withTimeout(timeout));
    }

    private ScriptRun run(String body) throws IOException {
        return run(body, Map.of());
    }

    private ScriptRun run(String body, Map<String, String> info) throws IOException {
        return runner(Duration.ofSeconds(2)).run(Scripts.invocation(Scripts.sh(scripts, body), trophy, info));
    }

    @ParameterizedTest(name = "exit {0} means {1}")
    @CsvSource({"0, ACCOMPLISHED", "1, NOT_ACCOMPLISHED", "2, ERROR", "4, MISSING_INFORMATION", "3, ERROR"})
    void theExitCodeIsTheAnswer(int code, ScriptAnswer expected) throws IOException {
        ScriptRun run = run("exit " + code);

        assertEquals(new ScriptOutcome.Exited(code), run.outcome());
        assertEquals(expected, run.answer());
        assertEquals("exit code " + code, run.describe());
    }

    @Test
    void aScriptThatCrashesIsReportedAsKilledBySignal11() throws IOException {
        ScriptRun run = run("kill -SEGV $$");

        assertEquals(new ScriptOutcome.KilledBySignal(11), run.outcome());
        assertEquals(ScriptAnswer.ERROR, run.answer());
        assertEquals("killed by signal 11 (SIGSEGV)", run.describe());
    }

    @Test
    void aScriptThatHangsIsKilledAtTheTimeLimitAndTheCallerGetsControlBackPromptly() throws IOException {
        long start = System.nanoTime();
        ScriptRun run = runner(Duration.ofSeconds(1)).run(
                Scripts.invocation(Scripts.sh(scripts, "sleep 600"), trophy, Map.of()));
        Duration wall = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(new ScriptOutcome.TimedOut(Duration.ofSeconds(1)), run.outcome());
        assertEquals(ScriptAnswer.ERROR, run.answer());
        assertEquals("timed out after 1 s", run.describe());
        assertTrue(wall.compareTo(Duration.ofMillis(2500)) < 0, "returned after " + wall);
    }

    /** Starts a background job and a double-forked daemon (new session, cwd /), records their pids, then {@code tail}. */
    private static String forksAndThen(String tail) {
        return """
                sleep 600 &
                echo $! > "$ACCOM_INFO_PIDS/job.pid"
                (cd / && setsid sleep 600 & echo $! > "$ACCOM_INFO_PIDS/daemon.pid")
                """ + tail;
    }

    @Test
    void aScriptThatForksADaemonIsKilledWithItsWholeTreeAtTheTimeLimit() throws IOException {
        Path pids = Files.createDirectories(tmp.resolve("pids"));

        ScriptRun run = runner(Duration.ofSeconds(1)).run(Scripts.invocation(
                Scripts.sh(scripts, forksAndThen("sleep 600")), trophy, Map.of("pids", pids.toString())));

        assertInstanceOf(ScriptOutcome.TimedOut.class, run.outcome());
        long job = Scripts.readPid(pids.resolve("job.pid"));
        long daemon = Scripts.readPid(pids.resolve("daemon.pid"));
        assertFalse(Scripts.isLive(job), "background job " + job + " survived");
        assertFalse(Scripts.isLive(daemon), "daemon " + daemon + " survived");
        assertTrue(run.strayProcessesKilled() >= 2, "strays: " + run.strayProcessesKilled());
    }

    @Test
    void aScriptThatExitsButLeavesAJobAndADaemonBehindLeavesNoProcessAfterTheRun() throws IOException {
        Path pids = Files.createDirectories(tmp.resolve("pids"));

        ScriptRun run = runner(Duration.ofSeconds(2)).run(Scripts.invocation(
                Scripts.sh(scripts, forksAndThen("exit 0")), trophy, Map.of("pids", pids.toString())));

        assertEquals(new ScriptOutcome.Exited(0), run.outcome());
        long job = Scripts.readPid(pids.resolve("job.pid"));
        long daemon = Scripts.readPid(pids.resolve("daemon.pid"));
        assertFalse(Scripts.isLive(job), "background job " + job + " survived");
        assertFalse(Scripts.isLive(daemon), "daemon " + daemon + " survived");
        assertEquals(2, run.strayProcessesKilled());
        // The job held stdout open; the run must still have ended promptly, not at the limit.
        assertTrue(run.elapsed().compareTo(Duration.ofSeconds(1)) < 0, "elapsed " + run.elapsed());
    }

    @Test
    void aScriptThatKeepsForkingUntilTheLimitLosesEveryChild() throws IOException {
        Path pids = Files.createDirectories(tmp.resolve("pids"));

        ScriptRun run = runner(Duration.ofSeconds(1)).run(Scripts.invocation(Scripts.sh(scripts, """
                while :; do sleep 600 & echo $! >> "$ACCOM_INFO_PIDS/all"; sleep 0.02; done
                """), trophy, Map.of("pids", pids.toString())));

        assertInstanceOf(ScriptOutcome.TimedOut.class, run.outcome());
        List<String> all = Files.readAllLines(pids.resolve("all"));
        assertTrue(all.size() > 10, "only " + all.size() + " children");
        List<String> survivors = all.stream().filter(p -> Scripts.isLive(Long.parseLong(p))).toList();
        assertEquals(List.of(), survivors);
    }

    @Test
    void aValueTooLargeForTheEnvironmentIsNotStartedRatherThanThrown() throws IOException {
        ScriptRun run = run("exit 0", Map.of("launchpad-email", "x".repeat(200 * 1024)));

        assertInstanceOf(ScriptOutcome.NotStarted.class, run.outcome(), run.describe());
    }

    @Test
    void theScriptIsItsOwnSessionAndProcessGroupLeaderSoTheGroupKillReachesItsChildren() throws IOException {
        ScriptRun run = run("read -r line < /proc/$$/stat; echo \"$line\"");

        long[] stat = Scripts.stat(run.stdout()).orElseThrow();
        assertEquals(stat[0], stat[2], "pgid");
        assertEquals(stat[0], stat[3], "session id");
    }

    @Test
    void aScriptThatPrintsForeverKeepsOnlyTheTailAndMemoryStaysBounded() throws IOException {
        LogicScriptRunner capped = new LogicScriptRunner(ScriptSettings.defaults(workRoot, tmp.resolve("python"))
                .withTimeout(Duration.ofSeconds(1)).withOutputCapBytes(1024));

        ScriptRun run = capped.run(Scripts.invocation(Scripts.sh(scripts, "yes"), trophy, Map.of()));

        assertInstanceOf(ScriptOutcome.TimedOut.class, run.outcome());
        assertEquals(1024, run.stdout().getBytes(StandardCharsets.UTF_8).length);
        assertTrue(run.stdout().endsWith("y\n") || run.stdout().endsWith("y"), run.stdout());
        assertTrue(run.stdoutDroppedBytes() > 1_000_000, "dropped only " + run.stdoutDroppedBytes());
    }

    @Test
    void aFiftyMegabyteBurstOnBothStreamsIsCountedAndOnlyItsTailKept() throws IOException {
        int cap = 4096;
        long burst = 50L * 1024 * 1024;
        LogicScriptRunner capped = new LogicScriptRunner(ScriptSettings.defaults(workRoot, tmp.resolve("python"))
                .withTimeout(Duration.ofSeconds(20)).withOutputCapBytes(cap));
        String body = "head -c " + burst + " /dev/zero | tr '\\0' x; echo END\n"
                + "head -c " + burst + " /dev/zero | tr '\\0' e >&2; echo ERR >&2\nexit 1";

        ScriptRun run = capped.run(Scripts.invocation(Scripts.sh(scripts, body), trophy, Map.of()));

        assertEquals(new ScriptOutcome.Exited(1), run.outcome());
        assertEquals(cap, run.stdout().length());
        assertTrue(run.stdout().endsWith("xxxEND\n"));
        assertEquals(burst + 4 - cap, run.stdoutDroppedBytes());
        assertEquals(cap, run.stderr().length());
        assertTrue(run.stderr().endsWith("eeeERR\n"));
        assertEquals(burst + 4 - cap, run.stderrDroppedBytes());
    }

    @Test
    void invalidUtf8OutputIsDecodedWithReplacementCharacters() throws IOException {
        ScriptRun run = run("printf '\\377\\376ok \\303\\251\\n'; printf '\\300' >&2");

        assertEquals("\uFFFD\uFFFDok \u00e9\n", run.stdout());
        assertEquals("\uFFFD", run.stderr());
    }

    /** Regression: Process.destroyForcibly() closes the pipes, losing output not yet pumped (about 1 run in 12). */
    @RepeatedTest(40)
    void theOutputOfAScriptThatPrintsAndExitsAtOnceIsNeverLost() throws IOException {
        ScriptRun run = run("echo out; echo err >&2; exit 1");

        assertEquals("out\n", run.stdout());
        assertEquals("err\n", run.stderr());
    }

    @Test
    void theScriptSeesExactlyTheDocumentedEnvironmentAndNothingOfTheServices() throws IOException {
        // "#!/bin/cat /proc/self/environ" makes the kernel run cat on its own environment: the exact bytes the
        // script was given, with no shell adding PWD or SHLVL.
        Path script = Scripts.write(scripts, "env.sh", "#!/bin/cat /proc/self/environ\n");
        Map<String, String> info = new LinkedHashMap<>();
        info.put("launchpad-email", "someone@example.org");
        info.put("x.y z", "v");

        ScriptRun run = runner(Duration.ofSeconds(2)).run(Scripts.invocation(script, trophy, info));

        String environ = run.stdout().substring(0, run.stdout().lastIndexOf('\0'));
        Map<String, String> env = Arrays.stream(environ.split("\0"))
                .collect(Collectors.toMap(e -> e.substring(0, e.indexOf('=')), e -> e.substring(e.indexOf('=') + 1)));
        Set<String> expected = new TreeSet<>(ScriptEnvironment.FIXED_NAMES);
        expected.add("ACCOM_INFO_LAUNCHPAD_EMAIL");
        expected.add("ACCOM_INFO_X_Y_Z");
        assertEquals(expected, new TreeSet<>(env.keySet()));
        assertEquals("/usr/local/bin:/usr/bin:/bin", env.get("PATH"));
        assertEquals("C.UTF-8", env.get("LANG"));
        assertEquals("C.UTF-8", env.get("LC_ALL"));
        assertEquals("1", env.get("PYTHONDONTWRITEBYTECODE"));
        assertEquals(tmp.resolve("python").toString(), env.get("PYTHONPATH"));
        assertEquals(trophy.toString(), env.get("ACCOMTROPHYPATH"));
        assertEquals("ubuntu-community/report-first-bug", env.get("ACCOM_ID"));
        assertEquals("0a1b2c3d-share", env.get("ACCOM_SHARE_ID"));
        assertEquals("alice", env.get("ACCOM_OWNER"));
        assertEquals("someone@example.org", env.get("ACCOM_INFO_LAUNCHPAD_EMAIL"));
        assertTrue(Path.of(env.get("HOME")).startsWith(workRoot), env.get("HOME"));
        assertEquals(env.get("HOME"), env.get("TMPDIR"));
    }

    @Test
    void theScriptRunsInAPrivateWorkDirectoryThatIsGoneAfterwardsEvenIfTheScriptMadeItHardToDelete()
            throws IOException {
        ScriptRun run = run("""
                pwd
                mkdir -p locked/deeper && touch locked/deeper/f && chmod 000 locked/deeper locked
                ln -s / root-link
                """);

        assertTrue(Path.of(run.stdout().strip()).startsWith(workRoot), run.stdout());
        assertEquals(List.of(), list(workRoot));
        assertTrue(Files.exists(Path.of("/bin/sh")), "the symlink to / was removed, not followed");
    }

    @Test
    void theWorkDirectoryIsGoneAfterATimeoutToo() throws IOException {
        ScriptRun run = runner(Duration.ofSeconds(1)).run(
                Scripts.invocation(Scripts.sh(scripts, "touch leftover; sleep 600"), trophy, Map.of()));

        assertInstanceOf(ScriptOutcome.TimedOut.class, run.outcome());
        assertEquals(List.of(), list(workRoot));
    }

    @Test
    void stdinIsEmptySoAScriptReadingItDoesNotHang() throws IOException {
        ScriptRun run = run("cat; echo read-all");

        assertEquals(new ScriptOutcome.Exited(0), run.outcome());
        assertEquals("read-all\n", run.stdout());
    }

    @Test
    void hostileValuesAndAnOddScriptNameAreNeverInterpretedByAShell() throws IOException {
        Path pwned = tmp.resolve("pwned");
        Path pwnedByName = scripts.resolve("pwned-by-name");
        String value = "$(touch " + pwned + ") `touch " + pwned + "`; touch " + pwned + " && echo \"'\\ \nZo\u00eb \u2603";
        Path script = Scripts.write(scripts, "odd name; $(touch pwned-by-name) `id`.sh",
                "#!/bin/sh\nprintf '%s' \"$ACCOM_INFO_PAYLOAD\"\n");

        ScriptRun run = runner(Duration.ofSeconds(2)).run(
                Scripts.invocation(script, trophy, Map.of("payload", value)));

        assertEquals(new ScriptOutcome.Exited(0), run.outcome());
        assertEquals(value, run.stdout());
        assertFalse(Files.exists(pwned));
        assertFalse(Files.exists(pwnedByName));
    }

    @Test
    void aValueContainingNulIsRefusedAndTheScriptNeverStarts() throws IOException {
        Path ran = tmp.resolve("ran");
        Path script = Scripts.sh(scripts, "touch " + ran);

        ScriptRun run = runner(Duration.ofSeconds(2)).run(
                Scripts.invocation(script, trophy, Map.of("launchpad-email", "a@b.c\0--evil")));

        ScriptOutcome.NotStarted outcome = assertInstanceOf(ScriptOutcome.NotStarted.class, run.outcome());
        assertTrue(outcome.reason().contains("ACCOM_INFO_LAUNCHPAD_EMAIL"), outcome.reason());
        assertEquals(ScriptAnswer.ERROR, run.answer());
        assertFalse(Files.exists(ran));
        assertEquals(List.of(), list(workRoot));
    }

    @Test
    void twoItemsThatWouldShareOneVariableAreRefused() throws IOException {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("launchpad-email", "a");
        info.put("launchpad_email", "b");

        ScriptRun run = run("exit 0", info);

        ScriptOutcome.NotStarted outcome = assertInstanceOf(ScriptOutcome.NotStarted.class, run.outcome());
        assertTrue(outcome.reason().contains("ACCOM_INFO_LAUNCHPAD_EMAIL"), outcome.reason());
    }

    @Test
    void aScriptThatIsNotExecutableIsNotStarted() throws IOException {
        Path script = Scripts.sh(scripts, "exit 0");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));

        ScriptRun run = runner(Duration.ofSeconds(2)).run(Scripts.invocation(script, trophy, Map.of()));

        assertEquals(new ScriptOutcome.NotStarted(script + " is not executable"), run.outcome());
        assertEquals(ScriptAnswer.ERROR, run.answer());
    }

    @Test
    void aMissingScriptOrADirectoryIsNotStarted() {
        LogicScriptRunner runner = runner(Duration.ofSeconds(2));

        ScriptRun missing = runner.run(Scripts.invocation(scripts.resolve("nope.py"), trophy, Map.of()));
        ScriptRun directory = runner.run(Scripts.invocation(scripts, trophy, Map.of()));

        assertEquals(new ScriptOutcome.NotStarted(scripts.resolve("nope.py") + " does not exist"), missing.outcome());
        assertEquals(new ScriptOutcome.NotStarted(scripts + " is not a regular file"), directory.outcome());
    }

    @Test
    void aFileTheKernelCannotExecuteIsNotStartedInsteadOfBeingHandedToAShell() throws IOException {
        Path ran = tmp.resolve("ran");
        Path script = Scripts.write(scripts, "noshebang", "touch " + ran + "\n");

        ScriptRun run = runner(Duration.ofSeconds(2)).run(Scripts.invocation(script, trophy, Map.of()));

        assertInstanceOf(ScriptOutcome.NotStarted.class, run.outcome());
        assertTrue(run.describe().contains("exec format error"), run.describe());
        assertFalse(Files.exists(ran));
    }

    @Test
    void aScriptWhoseInterpreterIsMissingIsAnErrorNotAnAnswer() throws IOException {
        Path script = Scripts.write(scripts, "ghost.py", "#!/usr/bin/no-such-python\n");

        ScriptRun run = runner(Duration.ofSeconds(2)).run(Scripts.invocation(script, trophy, Map.of()));

        assertInstanceOf(ScriptOutcome.NotStarted.class, run.outcome(), run.describe());
        assertEquals(ScriptAnswer.ERROR, run.answer());
    }

    @Test
    void withOneSlotThreeRunsNeverOverlapAndWaitingIsNotCountedAsRunningTime() throws Exception {
        Path stamps = Files.createDirectories(tmp.resolve("stamps"));
        Path script = Scripts.sh(scripts, """
                date +%s%N > "$ACCOM_INFO_STAMPS/$ACCOM_SHARE_ID.start"
                sleep 0.3
                date +%s%N > "$ACCOM_INFO_STAMPS/$ACCOM_SHARE_ID.end"
                """);
        LogicScriptRunner oneAtATime = new LogicScriptRunner(ScriptSettings.defaults(workRoot, tmp.resolve("python"))
                .withTimeout(Duration.ofMillis(1500)).withMaxConcurrent(1));
        ExecutorService callers = Executors.newFixedThreadPool(3);
        List<Future<ScriptRun>> runs = new ArrayList<>();
        try {
            for (String share : List.of("a", "b", "c")) {
                runs.add(callers.submit(() -> oneAtATime.run(new ScriptInvocation(script, trophy,
                        "c/n", share, "alice", Map.of("stamps", stamps.toString())))));
            }
            for (Future<ScriptRun> f : runs) {
                ScriptRun run = f.get();
                // Each waited up to ~0.6 s for its slot; with a 1.5 s limit counted from the wait it could time out.
                assertEquals(new ScriptOutcome.Exited(0), run.outcome());
                assertTrue(run.elapsed().compareTo(Duration.ofMillis(1000)) < 0, "elapsed " + run.elapsed());
            }
        } finally {
            callers.shutdownNow();
        }
        List<long[]> intervals = new ArrayList<>();
        for (String share : List.of("a", "b", "c")) {
            intervals.add(new long[] {Scripts.readPid(stamps.resolve(share + ".start")),
                    Scripts.readPid(stamps.resolve(share + ".end"))});
        }
        intervals.sort((x, y) -> Long.compare(x[0], y[0]));
        for (int i = 1; i < intervals.size(); i++) {
            assertTrue(intervals.get(i)[0] >= intervals.get(i - 1)[1], "runs " + (i - 1) + " and " + i + " overlap");
        }
    }

    @Test
    void anInterruptedCallerGetsACancelledRunAndTheScriptIsKilled() throws Exception {
        Path pids = Files.createDirectories(tmp.resolve("pids"));
        Path script = Scripts.sh(scripts, "echo $$ > \"$ACCOM_INFO_PIDS/script.pid\"; sleep 600");
        LogicScriptRunner runner = runner(Duration.ofSeconds(5));
        ScriptRun[] result = new ScriptRun[1];
        Thread caller = new Thread(() -> result[0] = runner.run(
                Scripts.invocation(script, trophy, Map.of("pids", pids.toString()))));

        caller.start();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!Files.exists(pids.resolve("script.pid")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        caller.interrupt();
        caller.join(3000);

        assertFalse(caller.isAlive());
        assertInstanceOf(ScriptOutcome.Cancelled.class, result[0].outcome());
        assertFalse(Scripts.isLive(Scripts.readPid(pids.resolve("script.pid"))));
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.collect(Collectors.toList());
        }
    }
}
