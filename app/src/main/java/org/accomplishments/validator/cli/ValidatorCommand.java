package org.accomplishments.validator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code java -jar accomplishments-validator.jar [run|verify|keys|restore] ...}. */
// INHERIT: every subcommand gets -h/--help and -V/--version (with this version provider) too.
@Command(name = "accomplishments-validator", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = ValidatorCommand.Version.class,
        description = "Validation server for Ubuntu Accomplishments trophies.",
        subcommands = {ValidatorCommand.Run.class, VerifyCommand.class, KeysCommand.class, CollectionsCommand.class,
                RestoreCommand.class},
        exitCodeOnInvalidInput = ExitCodes.USAGE)
public class ValidatorCommand implements Callable<Integer> {
    /** Returned by {@code run}: the service keeps the JVM alive until it is stopped. */
    public static final int KEEP_RUNNING = -1;
    private static final Set<String> SUBCOMMANDS = Set.of("run", "verify", "keys", "collections", "restore", "help", "--help", "-h",
            "--version", "-V");

    public static int execute(String[] args) {
        // Bare `java -jar ...` and Micronaut-style arguments (--micronaut.server.port=...) mean `run`.
        if (args.length == 0 || !SUBCOMMANDS.contains(args[0])) {
            String[] withRun = new String[args.length + 1];
            withRun[0] = "run";
            System.arraycopy(args, 0, withRun, 1, args.length);
            args = withRun;
        }
        if (args[0].equals("run")) {
            String[] runArgs = Arrays.copyOfRange(args, 1, args.length);
            // Micronaut would take --help for a setting and start the service: answer it here instead.
            if (Arrays.stream(runArgs).anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
                new CommandLine(new ValidatorCommand()).getSubcommands().get("run").usage(System.out);
                return ExitCodes.GOOD;
            }
            if (Arrays.stream(runArgs).anyMatch(a -> a.equals("--version") || a.equals("-V"))) {
                new CommandLine(new ValidatorCommand()).printVersionHelp(System.out);
                return ExitCodes.GOOD;
            }
            return ServiceStart.run(runArgs);
        }
        // The CLI's stdout is its output (an exported key, a verdict): log lines go to stderr.
        System.setProperty("LOG_TARGET", "System.err");
        CommandLine cli = new CommandLine(new ValidatorCommand());
        useUsageExitCode(cli);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println(line.getCommandName() + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        });
        return cli.execute(args);
    }

    /** Wrong arguments anywhere exit 64: 2 already means "the trophy differs" for verify. */
    private static void useUsageExitCode(CommandLine command) {
        command.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        command.getSubcommands().values().forEach(ValidatorCommand::useUsageExitCode);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    /** Documentation only: {@code run} is dispatched before picocli sees it, so any Micronaut arguments pass. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = {"Start the service (the default). Settings "
            + "come from the configuration (files, -D system properties, environment variables, or arguments such as "
            + "--micronaut.server.port=8443); see README.md.",
            "Only one service runs on a data directory: a second start on it exits " + ExitCodes.ALREADY_RUNNING
                    + " and names the process that holds it."})
    static class Run implements Callable<Integer> {
        @Override
        public Integer call() {
            return 0;
        }
    }

    static class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ValidatorCommand.class.getPackage().getImplementationVersion();
            return new String[]{"accomplishments-validator " + (v == null ? "(development build)" : v)};
        }
    }
}
