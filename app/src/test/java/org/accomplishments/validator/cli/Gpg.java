package org.accomplishments.validator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** The real GnuPG in a throw-away home, run with argument lists. A missing gpg fails the test (not skipped). */
final class Gpg implements AutoCloseable {
    private final Path home;

    Gpg(Path home) throws IOException {
        if (!Files.isExecutable(Path.of("/usr/bin/gpg")) && !Files.isExecutable(Path.of("/bin/gpg"))) {
            fail("gpg is not installed (Debian: apt-get install gnupg); the 2012-style CLI tests need it");
        }
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        this.home = home;
    }

    String run(byte[] stdin, String... args) {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--no-tty",
                "--pinentry-mode", "loopback"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("GNUPGHOME", home.toString());
        builder.environment().put("LC_ALL", "C");
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
            String stdout = new String(out.join(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), command + " failed: " + new String(err.join(), StandardCharsets.UTF_8));
            return stdout;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String run(String... args) {
        return run(null, args);
    }

    /** A key without a passphrase; returns its fingerprint. */
    String generateKey(String userId, String algorithm) {
        run("--passphrase", "", "--quick-gen-key", userId, algorithm, "sign", "never");
        return run("--with-colons", "--list-keys", userId).lines().filter(l -> l.startsWith("fpr:")).findFirst()
                .map(l -> l.split(":")[9]).orElseThrow();
    }

    String exportPublic(String fingerprint) {
        return run("--armor", "--export", fingerprint);
    }

    String exportSecret(String fingerprint) {
        return run("--passphrase", "", "--armor", "--export-secret-keys", fingerprint);
    }

    String clearsign(String fingerprint, String digest, String text) {
        return run(text.getBytes(StandardCharsets.UTF_8), "--local-user", fingerprint, "--digest-algo", digest,
                "--clearsign");
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    @Override
    public void close() {
        try {
            ProcessBuilder kill = new ProcessBuilder("gpgconf", "--kill", "gpg-agent")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            kill.environment().put("GNUPGHOME", home.toString());
            kill.start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // best effort: the agent exits by itself when its home disappears
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
