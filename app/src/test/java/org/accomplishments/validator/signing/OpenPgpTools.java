package org.accomplishments.validator.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * The real gpg and sqop, run with argument lists (never through a shell). A missing tool fails the test with a
 * message: the interop suite is the point, and skipping it would hide that nothing was checked.
 */
final class OpenPgpTools {

    record Run(int exitCode, String stdout, String stderr) {
        Run requireSuccess(String what) {
            assertEquals(0, exitCode, what + " failed:\nstdout: " + stdout + "\nstderr: " + stderr);
            return this;
        }
    }

    private OpenPgpTools() {
    }

    static void requireTool(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        fail("'" + tool + "' is not installed, but the OpenPGP interop tests need it (Debian: apt-get install "
                + ("sqop".equals(tool) ? "sqop" : "gnupg") + "). These tests are not skipped on purpose.");
    }

    static Run run(List<String> command, Map<String, String> environment, byte[] stdin) {
        requireTool(command.get(0));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not finish within 120 s");
            }
            return new Run(process.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** {@code sqop inline-verify CERTFILE < message}: the signed text on stdout, exit 0 when good. */
    static Run sqopInlineVerify(Path certificates, String message) {
        return run(List.of("sqop", "inline-verify", certificates.toString()), Map.of(),
                message.getBytes(StandardCharsets.UTF_8));
    }

    /** A throw-away GnuPG home (0700) for one test class. */
    static final class Gpg implements AutoCloseable {
        private final Path home;

        Gpg(Path home) throws IOException {
            requireTool("gpg");
            Files.createDirectories(home);
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            this.home = home;
        }

        Path home() {
            return home;
        }

        Run run(byte[] stdin, String... args) {
            List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch",
                    "--no-tty", "--pinentry-mode", "loopback"));
            command.addAll(List.of(args));
            return OpenPgpTools.run(command, Map.of("GNUPGHOME", home.toString(), "LC_ALL", "C"), stdin);
        }

        Run run(String... args) {
            return run(null, args);
        }

        /** Generates a key without a passphrase and returns its fingerprint. */
        String generateKey(String userId, String algorithm) {
            run("--passphrase", "", "--quick-gen-key", userId, algorithm, "sign", "never")
                    .requireSuccess("gpg --quick-gen-key " + algorithm);
            String listing = run("--with-colons", "--list-keys", userId).requireSuccess("gpg --list-keys").stdout();
            return listing.lines().filter(l -> l.startsWith("fpr:")).findFirst()
                    .map(l -> l.split(":")[9]).orElseThrow();
        }

        void importKeys(String armored) {
            run(armored.getBytes(StandardCharsets.UTF_8), "--import").requireSuccess("gpg --import");
        }

        String exportPublic(String fingerprint) {
            return run("--armor", "--export", fingerprint).requireSuccess("gpg --export").stdout();
        }

        String clearsign(String fingerprint, String digest, String text) {
            return run(text.getBytes(StandardCharsets.UTF_8), "--local-user", fingerprint, "--digest-algo", digest,
                    "--clearsign").requireSuccess("gpg --clearsign --digest-algo " + digest).stdout();
        }

        /** gpg --verify with machine-readable status on stdout. */
        Run verify(Path asc) {
            return run("--status-fd", "1", "--verify", asc.toString());
        }

        @Override
        public void close() {
            OpenPgpTools.run(List.of("gpgconf", "--kill", "gpg-agent"), Map.of("GNUPGHOME", home.toString()), null);
        }
    }
}
