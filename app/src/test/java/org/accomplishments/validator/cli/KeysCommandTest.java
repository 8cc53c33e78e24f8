package org.accomplishments.validator.cli;

import org.accomplishments.validator.signing.PinnedKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code keys list|export|rotate|import} on a data directory of their own, as an operator runs them. */
class KeysCommandTest {

    private static final String PUBLIC_BLOCK = "-----BEGIN PGP PUBLIC KEY BLOCK-----";

    @TempDir
    static Path gpgTmp;
    static Gpg gpg;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startGpg() throws IOException {
        gpg = new Gpg(gpgTmp.resolve("gnupg"));
    }

    @AfterAll
    static void stopTheAgent() {
        if (gpg != null) {
            gpg.close();
        }
    }

    private CliRun keys(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "keys";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.run(dataDir, all);
    }

    private static String fingerprintOf(CliRun run) {
        return run.stdout().strip().split("\\s+")[0];
    }

    /** Makes the key store (its first key) and returns the active fingerprint; log lines are not looked at. */
    private String firstKey() {
        CliRun list = keys("list");
        assertEquals(ExitCodes.GOOD, list.exitCode(), list.toString());
        return list.stdout().lines().filter(l -> l.matches("[0-9A-F]{40}  .*")).findFirst().orElseThrow()
                .split("\\s+")[0];
    }

    private List<String> listing() {
        CliRun list = keys("list");
        assertEquals(ExitCodes.GOOD, list.exitCode(), list.toString());
        return list.stdout().lines().toList();
    }

    @Test
    void listShowsTheOneActiveKeyOfANewDataDirectory() throws IOException {
        String first = firstKey();
        List<String> lines = listing();

        assertEquals(1, lines.size(), lines.toString());
        String[] fields = lines.get(0).split("\\s+");
        assertEquals(first, fields[0], lines.get(0));
        assertEquals("ed25519", fields[1], lines.get(0));
        assertEquals("active", fields[2], lines.get(0));
        assertTrue(lines.get(0).contains("created "), lines.get(0));
        assertTrue(Files.isRegularFile(dataDir.resolve("keys/" + fields[0] + ".secret.asc")));
        assertEquals(PosixFilePermissions.fromString("rwx------"),
                Files.getPosixFilePermissions(dataDir.resolve("keys")));
        // The same key the next time: list does not make keys.
        assertEquals(lines, listing());
    }

    @Test
    void exportPrintsTheActivePublicKeyArmored() {
        String active = firstKey();

        CliRun export = keys("export");

        assertEquals(ExitCodes.GOOD, export.exitCode(), export.toString());
        assertTrue(export.stdout().startsWith(PUBLIC_BLOCK), export.stdout());
        assertFalse(export.stdout().contains("PRIVATE KEY"), export.stdout());
        assertEquals(List.of(active), PinnedKeys.parse(export.stdout()).fingerprints());
    }

    /**
     * {@code keys export > validator.asc} is how an operator publishes the key (README). On a data directory
     * without keys yet, the first key is generated on the way and its log line must not land in that file.
     */
    @Test
    void exportOnAFreshDataDirectoryPrintsOnlyTheKey() throws Exception {
        // A JVM of its own: logging is configured once per JVM, as it is for `java -jar ... keys export > key.asc`.
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                "-Dvalidator.data-dir=" + dataDir, "org.accomplishments.validator.Application", "keys", "export")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertEquals(ExitCodes.GOOD, process.waitFor());
        assertTrue(stdout.startsWith(PUBLIC_BLOCK), "stdout is not only the key:\n" + stdout);
    }

    @Test
    void exportWritesToAFile() throws IOException {
        firstKey();
        Path out = dataDir.resolve("validator.asc");

        CliRun export = keys("export", "-o", out.toString());

        assertEquals(ExitCodes.GOOD, export.exitCode(), export.toString());
        assertEquals("", export.stdout());
        assertTrue(Files.readString(out).startsWith(PUBLIC_BLOCK));
    }

    @Test
    void rotateMakesANewActiveKeyAndRetiresTheOldOneWhichStaysExported() {
        String old = firstKey();

        CliRun rotate = keys("rotate");

        assertEquals(ExitCodes.GOOD, rotate.exitCode(), rotate.toString());
        String fresh = fingerprintOf(rotate);
        assertTrue(fresh.matches("[0-9A-F]{40}"), rotate.toString());
        assertNotEquals(old, fresh);
        assertTrue(rotate.stdout().contains(" active "), rotate.toString());

        List<String> lines = listing();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith(fresh + "  ed25519  active"), lines.toString());
        assertTrue(lines.get(1).startsWith(old + "  ed25519  retired"), lines.toString());
        assertTrue(lines.get(1).contains("  retired 20"), lines.toString());

        CliRun current = keys("export");
        CliRun all = keys("export", "--all");
        assertEquals(List.of(fresh), PinnedKeys.parse(current.stdout()).fingerprints());
        assertTrue(all.stdout().startsWith(PUBLIC_BLOCK), all.stdout());
        assertEquals(Set.of(fresh, old), Set.copyOf(PinnedKeys.parse(all.stdout()).fingerprints()));
    }

    @Test
    void importMakesAGpgKeyActiveAndRetiresThePreviousOne() throws IOException {
        String previous = firstKey();
        String fingerprint = gpg.generateKey("Imported Validator <imported@example.org>", "ed25519");
        Path secret = dataDir.resolve("imported-secret.asc");
        Files.writeString(secret, gpg.exportSecret(fingerprint), StandardCharsets.US_ASCII);

        CliRun imported = keys("import", secret.toString());

        assertEquals(ExitCodes.GOOD, imported.exitCode(), imported.toString());
        assertTrue(imported.stdout().startsWith(fingerprint + "  ed25519  active"), imported.toString());
        List<String> lines = listing();
        assertTrue(lines.get(0).startsWith(fingerprint + "  ed25519  active"), lines.toString());
        assertTrue(lines.get(1).startsWith(previous + "  ed25519  retired"), lines.toString());
        assertEquals(List.of(fingerprint), PinnedKeys.parse(keys("export").stdout()).fingerprints());
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(dataDir.resolve("keys/" + fingerprint + ".secret.asc")));
    }

    @Test
    void importOfAMissingFileIsNoInput() {
        CliRun run = keys("import", dataDir.resolve("nothing-here.asc").toString());

        assertEquals(ExitCodes.NO_INPUT, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains("cannot read"), run.toString());
    }

    @Test
    void importOfAPublicKeyIsRefusedAndTheActiveKeyStays() {
        String active = firstKey();
        String fingerprint = gpg.generateKey("Public Only <public@example.org>", "ed25519");
        Path publicOnly = dataDir.resolve("public-only.asc");
        try {
            Files.writeString(publicOnly, gpg.exportPublic(fingerprint));
        } catch (IOException e) {
            throw new AssertionError(e);
        }

        CliRun run = keys("import", publicOnly.toString());

        assertNotEquals(ExitCodes.GOOD, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains("holds no secret key"), run.toString());
        assertEquals(active, listing().get(0).split("\\s+")[0]);
        assertEquals(1, listing().size());
    }

    /**
     * ExitCodes documents 70 for "anything else went wrong (a key store that cannot be written, ...)", and a
     * one-line reason is what an operator needs; a Java stack trace and picocli's default 1 are neither.
     */
    @Test
    void aRefusedImportExitsWithFailureAndAOneLineReason() throws IOException {
        firstKey();
        String fingerprint = gpg.generateKey("Public Only 2 <public2@example.org>", "ed25519");
        Path publicOnly = dataDir.resolve("public-only-2.asc");
        Files.writeString(publicOnly, gpg.exportPublic(fingerprint));

        CliRun run = keys("import", publicOnly.toString());

        assertEquals(ExitCodes.FAILURE, run.exitCode(), run.toString());
        assertFalse(run.stderr().contains("\tat org.accomplishments"), "a stack trace for an operator error:\n" + run);
    }

    @Test
    void keysWithoutASubcommandOrWithAWrongOneIsAUsageError() {
        CliRun bare = keys();
        CliRun unknown = keys("frobnicate");
        CliRun importWithoutFile = keys("import");

        assertEquals(ExitCodes.USAGE, bare.exitCode(), bare.toString());
        assertTrue(bare.stdout().contains("Usage:"), bare.toString());
        assertEquals(ExitCodes.USAGE, unknown.exitCode(), unknown.toString());
        assertEquals(ExitCodes.USAGE, importWithoutFile.exitCode(), importWithoutFile.toString());
    }
}
