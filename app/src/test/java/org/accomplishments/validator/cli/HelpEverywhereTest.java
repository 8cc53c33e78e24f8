package org.accomplishments.validator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --help} and {@code -h} on every command and subcommand print its usage and exit 0, {@code run --help}
 * included, which must not start the service; the man page names every command and option.
 */
class HelpEverywhereTest {

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new ValidatorCommand()), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 15, "commands found: " + paths);
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                Captured run = execute(args.toArray(String[]::new));
                assertEquals(0, run.exitCode, args + ": " + run);
                String usage = "Usage: accomplishments-validator" + (path.isEmpty() ? "" : " " + String.join(" ", path));
                assertTrue(run.stdout.startsWith(usage), args + " printed\n" + run);
                assertEquals("", run.stderr, args + ": " + run);
            }
        }
    }

    @Test
    void runHelpPrintsHelpAndDoesNotStartTheService() {
        Captured run = execute("run", "--help");
        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.stdout.contains("Start the service"), run.toString());
        assertTrue(run.stdout.contains("exits " + ExitCodes.ALREADY_RUNNING), run.toString());
        Captured version = execute("keys", "rotate", "--version");
        assertEquals(0, version.exitCode, version.toString());
        assertTrue(version.stdout.startsWith("accomplishments-validator "), version.toString());
    }

    @Test
    void theManPageHasEveryCommandAndOption() {
        String page = ManPage.render();
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new ValidatorCommand()), new ArrayList<>(), paths);
        for (List<String> path : paths) {
            if (path.isEmpty()) {
                continue;
            }
            assertTrue(page.contains(".SS " + ManPage.text(String.join(" ", path))), path + " missing from the man page");
        }
        new CommandLine(new ValidatorCommand()).getSubcommands().get("verify").getCommandSpec().options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp())
                .forEach(o -> assertTrue(page.contains(ManPage.text(o.longestName())), o.longestName()));
        assertTrue(page.contains(".B " + ExitCodes.ALREADY_RUNNING + "\n"), page);
        assertTrue(page.lines().noneMatch(l -> l.startsWith(".") && l.matches("\\.[a-z]{3,}.*")),
                "a text line starts with a dot:\n" + page);
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> deeper = new ArrayList<>(path);
                deeper.add(name);
                collect(sub, deeper, out);
            }
        });
    }

    private record Captured(int exitCode, String stdout, String stderr) {
    }

    private static synchronized Captured execute(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        String logTarget = System.getProperty("LOG_TARGET");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(stdout, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            int code = ValidatorCommand.execute(args);
            return new Captured(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            if (logTarget == null) {
                System.clearProperty("LOG_TARGET");
            } else {
                System.setProperty("LOG_TARGET", logTarget);
            }
        }
    }
}
