package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs real tools (gpg, sqop, the jar's CLI) with argument lists, never through a shell. */
final class Commands {

    record Run(List<String> command, int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return command + " exited " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    private Commands() {
    }

    static void requireTool(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        fail("'" + tool + "' is not installed; these integration tests need the real tool and are not skipped");
    }

    static Run run(List<String> command, Map<String, String> environment, byte[] stdin) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        }
        try {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException e) {
                // the tool may exit without reading its input; its exit code tells
            }
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                fail(command + " did not finish within 180 s");
            }
            return new Run(command, process.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            process.destroyForcibly();
        }
    }

    /** {@code java -jar accomplishments-validator.jar ARGS...} */
    static Run validatorCli(String... args) {
        List<String> command = new ArrayList<>(List.of(ValidatorProcess.javaExecutable(), "-jar",
                ValidatorProcess.jar().toString()));
        command.addAll(List.of(args));
        return run(command, Map.of(), null);
    }

    /** {@code sqop inline-verify CERTS < message}: exit 0 and the signed text on stdout when good. */
    static Run sqopInlineVerify(Path certificates, byte[] message) {
        requireTool("sqop");
        return run(List.of("sqop", "inline-verify", certificates.toString()), Map.of(), message);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** A throw-away GnuPG home (0700); closing it stops any agent gpg started there. */
    static final class Gpg implements AutoCloseable {
        private final Path home;

        Gpg(Path home) throws IOException {
            requireTool("gpg");
            Files.createDirectories(home);
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            this.home = home;
        }

        Run run(byte[] stdin, String... args) {
            List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch",
                    "--no-tty"));
            command.addAll(List.of(args));
            return Commands.run(command, Map.of("GNUPGHOME", home.toString(), "LC_ALL", "C"), stdin);
        }

        Run importKeys(Path armored) {
            return run(null, "--import", armored.toString());
        }

        /** {@code gpg --status-fd 1 --verify < asc}: stdin, as the README does, so gpg looks at nothing else. */
        Run verifyFromStdin(byte[] asc) {
            return run(asc, "--status-fd", "1", "--verify");
        }

        @Override
        public void close() {
            Commands.run(List.of("gpgconf", "--homedir", home.toString(), "--kill", "all"),
                    Map.of("GNUPGHOME", home.toString()), null);
        }
    }
}
