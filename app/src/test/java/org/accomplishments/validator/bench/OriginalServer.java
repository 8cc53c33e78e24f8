package org.accomplishments.validator.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * The baseline: the 2012 server's way of working, sequential, one trophy at a time: run the logic script as a
 * process, then one {@code gpg --clearsign} process that writes the {@code .asc}. A real Ed25519 key in a
 * temporary GNUPGHOME (short path: gpg-agent's socket lives there).
 */
final class OriginalServer implements AutoCloseable {
    private final Path home;
    private final String keyId;

    private OriginalServer(Path home, String keyId) {
        this.home = home;
        this.keyId = keyId;
    }

    static OriginalServer create() {
        try {
            Path home = Files.createTempDirectory(Path.of("/tmp"), "gpgb",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            String uid = "bench-original-server <bench@localhost>";
            run(home, List.of("gpg", "--batch", "--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign",
                    "never"));
            String listing = run(home, List.of("gpg", "--batch", "--with-colons", "--list-secret-keys", uid));
            String fpr = listing.lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow()
                    .split(":")[9];
            return new OriginalServer(home, fpr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One trophy the original way: the script, then (on exit 0) gpg writes {@code <trophy>.asc}. */
    void validate(Path script, Path trophy) {
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(script.toString()));
            pb.environment().put("ACCOMTROPHYPATH", trophy.toString());
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            int code = pb.start().waitFor();
            if (code != 0) {
                throw new IllegalStateException("logic script exited " + code);
            }
            run(home, List.of("gpg", "--batch", "--yes", "--clearsign", "--local-user", keyId, "-o",
                    trophy + ".asc", trophy.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Only the gpg step (the baseline of the signer alone). */
    void sign(Path trophy) {
        run(home, List.of("gpg", "--batch", "--yes", "--clearsign", "--local-user", keyId, "-o", trophy + ".asc",
                trophy.toString()));
    }

    /** {@code gpg --verify} of an armored file against an imported public key, in this GNUPGHOME. */
    boolean verifies(Path asc) {
        try {
            ProcessBuilder pb = gpg(home, List.of("gpg", "--batch", "--status-fd", "1", "--verify"));
            pb.redirectInput(asc.toFile()).redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor() == 0 && out.contains("[GNUPG:] GOODSIG");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void importKey(String armored) {
        try {
            Path key = home.resolve("service-key.asc");
            Files.writeString(key, armored);
            run(home, List.of("gpg", "--batch", "--import", key.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProcessBuilder gpg(Path home, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("GNUPGHOME", home.toString());
        return pb;
    }

    private static String run(Path home, List<String> command) {
        try {
            ProcessBuilder pb = gpg(home, command);
            pb.redirectErrorStream(true);
            pb.redirectInput(new File("/dev/null"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            int code = p.waitFor();
            if (code != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + code + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            gpg(home, List.of("gpgconf", "--kill", "all")).start().waitFor();
        } catch (IOException e) {
            // best effort
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Bench.deleteTree(home);
    }
}
