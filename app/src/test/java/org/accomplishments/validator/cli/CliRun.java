package org.accomplishments.validator.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs the command line in-process as {@code java -jar ... ARGS} would (through {@link ValidatorCommand#execute}),
 * with {@code validator.data-dir} set as a system property for the run, and captures stdout and stderr.
 */
record CliRun(int exitCode, String stdout, String stderr) {

    static final String DATA_DIR = "validator.data-dir";

    static synchronized CliRun run(Path dataDir, String... args) {
        if (args.length == 0 || args[0].equals("run") || !(args[0].equals("verify") || args[0].equals("keys"))) {
            throw new IllegalArgumentException("only verify and keys may run in a test, not " + Arrays.toString(args));
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        String previous = System.getProperty(DATA_DIR);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try (PrintStream capturedOut = new PrintStream(stdout, true, StandardCharsets.UTF_8);
             PrintStream capturedErr = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
            if (dataDir != null) {
                System.setProperty(DATA_DIR, dataDir.toString());
            }
            System.setOut(capturedOut);
            System.setErr(capturedErr);
            int code = ValidatorCommand.execute(args);
            capturedOut.flush();
            capturedErr.flush();
            return new CliRun(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            if (previous == null) {
                System.clearProperty(DATA_DIR);
            } else {
                System.setProperty(DATA_DIR, previous);
            }
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr;
    }
}
