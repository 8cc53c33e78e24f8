package org.accomplishments.validator.validation.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Original collection scripts, in Python, run unchanged against the stand-in through the real runner. */
class PythonStandInTest {
    /** The shape of the 2012 ubuntu-community scripts, including the import they all start with. */
    private static final String LAUNCHPAD_SCRIPT = """
            #!/usr/bin/python3
            import sys
            from accomplishments.daemon import dbusapi

            api = dbusapi.Accomplishments()
            email = api.get_extra_information("ubuntu-community", "launchpad-email")
            if bool(email) == False:
                sys.exit(4)
            email = email[0]["launchpad-email"]
            sys.exit(0 if email == "someone@example.org" else 1)
            """;

    @TempDir
    Path tmp;
    Path share;
    Path trophy;
    LogicScriptRunner runner;
    Path script;

    @BeforeEach
    void setUp() throws IOException {
        share = Files.createDirectories(tmp.resolve("share"));
        trophy = Files.createDirectories(share.resolve("ubuntu-community")).resolve("registered-on-launchpad.trophy");
        Files.writeString(trophy, "[trophy]\n");
        Path pythonPath = PythonStandIn.install(tmp.resolve("python"));
        runner = new LogicScriptRunner(ScriptSettings.defaults(tmp.resolve("work"), pythonPath)
                .withTimeout(Duration.ofSeconds(5)));
        script = Scripts.write(Files.createDirectories(tmp.resolve("scripts")), "registered-on-launchpad.py",
                LAUNCHPAD_SCRIPT);
    }

    private ScriptRun run(Path logic, Map<String, String> info) {
        return runner.run(Scripts.invocation(logic, trophy, info));
    }

    private void shareValue(String value) throws IOException {
        Files.writeString(Files.createDirectories(share.resolve(".extrainformation")).resolve("launchpad-email"), value);
    }

    @Test
    void aPythonScriptIsAccomplishedWhenTheValueFromTheTrophyIsTheExpectedOne() {
        ScriptRun run = run(script, Map.of("launchpad-email", "someone@example.org"));

        assertEquals(ScriptAnswer.ACCOMPLISHED, run.answer(), run.describe() + "\n" + run.stderr());
    }

    @Test
    void aPythonScriptIsNotAccomplishedForAnotherValue() {
        ScriptRun run = run(script, Map.of("launchpad-email", "someone-else@example.org"));

        assertEquals(ScriptAnswer.NOT_ACCOMPLISHED, run.answer(), run.stderr());
    }

    @Test
    void aPythonScriptAnswersMissingInformationWhenThereIsNoValueAnywhere() {
        ScriptRun run = run(script, Map.of());

        assertEquals(new ScriptOutcome.Exited(4), run.outcome(), run.stderr());
        assertEquals(ScriptAnswer.MISSING_INFORMATION, run.answer());
    }

    @Test
    void anEmptyValueCountsAsMissing() {
        ScriptRun run = run(script, Map.of("launchpad-email", "  "));

        assertEquals(ScriptAnswer.MISSING_INFORMATION, run.answer(), run.stderr());
    }

    @Test
    void withoutAnEnvironmentValueTheShareFileIsReadNextToTheTrophy() throws IOException {
        shareValue("someone@example.org\n");

        ScriptRun run = run(script, Map.of());

        assertEquals(ScriptAnswer.ACCOMPLISHED, run.answer(), run.stderr());
    }

    @Test
    void theEnvironmentValueWinsOverTheShareFile() throws IOException {
        shareValue("someone@example.org");

        ScriptRun run = run(script, Map.of("launchpad-email", "someone-else@example.org"));

        assertEquals(ScriptAnswer.NOT_ACCOMPLISHED, run.answer(), run.stderr());
    }

    @Test
    void aShareFileThatIsASymlinkIsNotFollowed() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret"), "someone@example.org");
        Files.createSymbolicLink(Files.createDirectories(share.resolve(".extrainformation"))
                .resolve("launchpad-email"), secret);

        ScriptRun run = run(script, Map.of());

        assertEquals(ScriptAnswer.MISSING_INFORMATION, run.answer(), run.stderr());
    }

    @Test
    void aShareFolderThatIsASymlinkIsNotFollowed() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("launchpad-email"), "someone@example.org");
        Files.createSymbolicLink(share.resolve(".extrainformation"), elsewhere);

        ScriptRun run = run(script, Map.of());

        assertEquals(ScriptAnswer.MISSING_INFORMATION, run.answer(), run.stderr());
    }

    @Test
    void aShareFileThatIsAFifoDoesNotHangTheScript() throws Exception {
        Path dir = Files.createDirectories(share.resolve(".extrainformation"));
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("launchpad-email").toString()).start();
        assertEquals(0, mkfifo.waitFor());

        ScriptRun run = run(script, Map.of());

        assertEquals(ScriptAnswer.MISSING_INFORMATION, run.answer(), run.describe() + "\n" + run.stderr());
    }

    @Test
    void anOversizedShareFileIsNotRead() throws IOException {
        shareValue("someone@example.org" + " ".repeat(70 * 1024) + "x");

        ScriptRun run = run(script, Map.of());

        assertEquals(ScriptAnswer.MISSING_INFORMATION, run.answer(), run.stderr());
    }

    @Test
    void aScriptThatIndexesAMissingValueCrashesAsAnErrorNotAsNotAccomplished() throws IOException {
        // The other pattern found in the wild: indexing first. Python would exit 1 ("not accomplished").
        Path indexing = Scripts.write(tmp.resolve("scripts"), "indexing.py", """
                #!/usr/bin/python3
                import sys
                from accomplishments.daemon import dbusapi
                email = dbusapi.Accomplishments().get_extra_information("ubuntu-community", "launchpad-email")
                if email[0]["launchpad-email"] == "":
                    sys.exit(4)
                sys.exit(0)
                """);

        ScriptRun run = run(indexing, Map.of());

        assertEquals(new ScriptOutcome.Exited(2), run.outcome());
        assertEquals(ScriptAnswer.ERROR, run.answer());
        assertTrue(run.stderr().contains("IndexError"), run.stderr());
    }

    @Test
    void anOldPython2ScriptThatCannotEvenCompileIsAnErrorNotNotAccomplished() throws IOException {
        Path python2 = Scripts.write(tmp.resolve("scripts"), "python2.py", """
                #!/usr/bin/python3
                import sys
                print "checking"
                sys.exit(0)
                """);

        ScriptRun run = run(python2, Map.of());

        assertEquals(new ScriptOutcome.Exited(2), run.outcome());
        assertTrue(run.stderr().contains("SyntaxError"), run.stderr());
    }

    @Test
    void aScriptImportingAModuleTheServerLacksIsAnError() throws IOException {
        Path importing = Scripts.write(tmp.resolve("scripts"), "launchpadlib.py", """
                #!/usr/bin/python3
                import no_such_module_on_this_server
                """);

        assertEquals(new ScriptOutcome.Exited(2), run(importing, Map.of()).outcome());
    }

    @Test
    void theOtherClientCallsScriptsMayMakeAreHarmless() throws IOException {
        Path other = Scripts.write(tmp.resolve("scripts"), "other.py", """
                #!/usr/bin/python3
                import sys
                from accomplishments.daemon import dbusapi
                assert dbusapi.daemon_is_registered()
                assert dbusapi.Accomplishments().get_config_value("config", "has_verif") is None
                sys.exit(0)
                """);

        assertEquals(ScriptAnswer.ACCOMPLISHED, run(other, Map.of()).answer());
    }

    @Test
    void installingTwiceGivesTheSameFolderAndNoBytecodeIsWrittenIntoIt() throws IOException {
        Path first = PythonStandIn.install(tmp.resolve("py2"));
        run(script, Map.of("launchpad-email", "someone@example.org"));
        Path second = PythonStandIn.install(tmp.resolve("py2"));

        assertEquals(first, second);
        assertEquals(List.of(first), list(tmp.resolve("py2")));
        try (Stream<Path> all = Files.walk(runner.settings().pythonPath())) {
            assertFalse(all.anyMatch(p -> p.toString().contains("__pycache__") || p.toString().endsWith(".pyc")));
        }
    }

    @Test
    void anEditedCopyIsReplacedAndOldVersionsAreRemoved() throws IOException {
        Path dir = tmp.resolve("py3");
        Path installed = PythonStandIn.install(dir);
        Path api = installed.resolve("accomplishments/daemon/dbusapi.py");
        String original = Files.readString(api);
        Files.writeString(api, "raise SystemExit(0)  # someone made every trophy accomplished\n");
        Path oldVersion = Files.createDirectories(dir.resolve("accomplishments-standin-0000000000000000"));

        Path again = PythonStandIn.install(dir);

        assertEquals(installed, again);
        assertEquals(original, Files.readString(api));
        assertFalse(Files.exists(oldVersion));
        assertEquals(List.of(installed), list(dir));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
    }
}
