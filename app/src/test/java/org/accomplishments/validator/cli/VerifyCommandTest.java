package org.accomplishments.validator.cli;

import org.accomplishments.validator.signing.ClearsignSigner;
import org.accomplishments.validator.signing.KeyringSettings;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.accomplishments.validator.trophy.SignedTrophyText;
import org.accomplishments.validator.trophy.Trophy;
import org.accomplishments.validator.trophy.TrophyParser;
import org.accomplishments.validator.trophy.ValidationBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code verify}: what a user's client (or an operator) gets for each kind of signed trophy, with the exit codes
 * of README.md "Command line". The server's trophies are made with the real signer; the 2012 one with real gpg.
 */
class VerifyCommandTest {

    static final String SHARE_ID = "7f3c9a52-2f0e-4d5e-9c1b-2a3f4e5d6c7b";
    static final String OWNER = "alice";
    static final String TROPHY = """
            [trophy]
            version = 0.2
            id = example/registered-email
            date-accomplished = 2026-11-21 10:00
            needs-signing = true
            needs-information = email
            email = alice@example.org
            """;
    static final String OLD_TROPHY = """
            [trophy]
            version = 0.2
            id = ubuntu-community/report-first-bug
            date-accomplished = 2012-04-30 22:17
            needs-signing = true
            needs-information = launchpad-email
            launchpad-email = someone@example.org
            """;

    @TempDir
    static Path tmp;

    static ValidationKeyring server;
    static ValidationKeyring stranger;
    static Path serverKey;
    static Gpg gpg;
    static String dsa2048;
    static Path oldServerKey;

    @BeforeAll
    static void keysOfThisServerAStrangerAndThe2012Server() throws IOException {
        server = ValidationKeyring.open(tmp.resolve("data/keys"), KeyringSettings.defaults());
        stranger = ValidationKeyring.open(tmp.resolve("stranger/keys"), KeyringSettings.defaults());
        serverKey = tmp.resolve("validator.asc");
        Files.writeString(serverKey, server.armoredActivePublicKey(), StandardCharsets.US_ASCII);

        gpg = new Gpg(tmp.resolve("gnupg"));
        dsa2048 = gpg.generateKey("Validator 2012 <validator@example.org>", "dsa2048");
        oldServerKey = tmp.resolve("old-server.asc");
        Files.writeString(oldServerKey, gpg.exportPublic(dsa2048), StandardCharsets.US_ASCII);
    }

    @AfterAll
    static void stopTheAgent() {
        if (gpg != null) {
            gpg.close();
        }
    }

    /** A share folder with {@code <name>.trophy} and the {@code .trophy.asc} this server's signer made for it. */
    private static Path signedBy(ValidationKeyring keyring, String folder) throws IOException {
        Trophy trophy = ((TrophyParser.Parsed) TrophyParser.parse(TROPHY.getBytes(StandardCharsets.UTF_8))).trophy();
        ValidationBinding binding = new ValidationBinding(SHARE_ID, OWNER, Instant.now(),
                keyring.active().fingerprint());
        String armored = new ClearsignSigner(keyring).sign(SignedTrophyText.compose(trophy, binding)).armored();
        Path dir = Files.createDirectories(tmp.resolve(folder).resolve("example"));
        Files.writeString(dir.resolve("registered-email.trophy"), TROPHY);
        Path asc = dir.resolve("registered-email.trophy.asc");
        Files.writeString(asc, armored);
        return asc;
    }

    /** A revocation list signed by this server's key: {@code serial} null writes the older format, without one. */
    private static Path revocationList(String name, Long serial, String... revokedDigests) throws IOException {
        java.util.List<org.accomplishments.validator.trophy.RevocationList.Entry> entries = new java.util.ArrayList<>();
        for (String digest : revokedDigests) {
            entries.add(new org.accomplishments.validator.trophy.RevocationList.Entry(digest,
                    Instant.parse("2026-11-21T10:00:00Z"), "example/registered-email", SHARE_ID));
        }
        String text = org.accomplishments.validator.trophy.RevocationList.compose(entries,
                Instant.parse("2026-11-22T10:00:00Z"), server.active().fingerprint(), serial == null ? 1 : serial);
        if (serial == null) {
            text = text.replace("serial = 1\n", "");
        }
        Path file = tmp.resolve(name);
        Files.writeString(file, new ClearsignSigner(server).sign(text).armored());
        return file;
    }

    @Test
    void aRevocationListBelowTheMinimumSerialIsRefusedAsStale() throws IOException {
        Path asc = signedBy(server, "serial-min");
        Path seven = revocationList("revocations-7.asc", 7L);

        CliRun current = verify("--key", serverKey.toString(), "--revocations", seven.toString(), "--min-serial", "7",
                asc.toString());
        CliRun stale = verify("--key", serverKey.toString(), "--revocations", seven.toString(), "--min-serial", "8",
                asc.toString());

        assertEquals(ExitCodes.GOOD, current.exitCode(), current.toString());
        assertEquals(ExitCodes.STALE_REVOCATIONS, stale.exitCode(), stale.toString());
        assertTrue(stale.stdout().startsWith("STALE: the revocation list has serial 7"), stale.toString());
    }

    @Test
    void theStateFileRemembersTheHighestSerialAndRefusesAnOlderListReplayedLater() throws IOException {
        Path asc = signedBy(server, "serial-state");
        String revokedDigest = org.accomplishments.validator.trophy.RevocationList.digest(
                ((org.accomplishments.validator.signing.VerificationResult.Good) new org.accomplishments.validator
                        .signing.SignatureVerifier().verify(Files.readString(asc), server.pinnedKeys())).signedText());
        Path before = revocationList("revocations-3.asc", 3L);
        Path after = revocationList("revocations-4.asc", 4L, revokedDigest);
        Path state = tmp.resolve("revocations.state");

        CliRun first = verify("--key", serverKey.toString(), "--revocations", before.toString(),
                "--revocations-state", state.toString(), asc.toString());
        CliRun revoked = verify("--key", serverKey.toString(), "--revocations", after.toString(),
                "--revocations-state", state.toString(), asc.toString());
        CliRun replayed = verify("--key", serverKey.toString(), "--revocations", before.toString(),
                "--revocations-state", state.toString(), asc.toString());

        assertEquals(ExitCodes.GOOD, first.exitCode(), first.toString());
        assertEquals(ExitCodes.REVOKED, revoked.exitCode(), revoked.toString());
        assertEquals("4", Files.readString(state).strip(), "the state file holds the highest serial seen");
        assertEquals(ExitCodes.STALE_REVOCATIONS, replayed.exitCode(), "the old list, which does not name the "
                + "revocation, is refused: " + replayed);
        assertTrue(replayed.stdout().contains("older than serial 4 seen before"), replayed.toString());
    }

    @Test
    void aListOfTheOlderFormatWithoutSerialPassesOnlyWhenNothingIsCompared() throws IOException {
        Path asc = signedBy(server, "serial-none");
        Path old = revocationList("revocations-old.asc", null);
        Path state = tmp.resolve("seen-5.state");
        Files.writeString(state, "5\n");

        CliRun plain = verify("--key", serverKey.toString(), "--revocations", old.toString(), asc.toString());
        CliRun withMinimum = verify("--key", serverKey.toString(), "--revocations", old.toString(), "--min-serial", "1",
                asc.toString());
        CliRun withState = verify("--key", serverKey.toString(), "--revocations", old.toString(),
                "--revocations-state", state.toString(), asc.toString());
        CliRun withoutList = verify("--key", serverKey.toString(), "--min-serial", "3", asc.toString());

        assertEquals(ExitCodes.GOOD, plain.exitCode(), plain.toString());
        assertTrue(plain.stderr().contains("carries no serial (the older format)"), plain.toString());
        assertEquals(ExitCodes.STALE_REVOCATIONS, withMinimum.exitCode(), withMinimum.toString());
        assertEquals(ExitCodes.STALE_REVOCATIONS, withState.exitCode(), withState.toString());
        assertTrue(withState.stdout().startsWith("STALE: the revocation list carries no serial"), withState.toString());
        assertEquals(ExitCodes.USAGE, withoutList.exitCode(), withoutList.toString());
    }

    private static CliRun verify(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "verify";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.run(tmp.resolve("no-data-dir-needed"), all);
    }

    @Test
    void aTrophySignedByThePinnedKeyVerifies() throws IOException {
        Path asc = signedBy(server, "good");

        CliRun run = verify("--key", serverKey.toString(), asc.toString());

        assertEquals(ExitCodes.GOOD, run.exitCode(), run.toString());
        assertTrue(run.stdout().startsWith("GOOD: signed by " + server.active().fingerprint()), run.toString());
        assertTrue(run.stdout().contains("for share " + SHARE_ID + " of " + OWNER), run.toString());
    }

    @Test
    void theExpectedShareIdAndOwnerVerify() throws IOException {
        Path asc = signedBy(server, "bound");

        CliRun both = verify("--key", serverKey.toString(), "--share-id", SHARE_ID, "--owner", OWNER, asc.toString());
        CliRun shareOnly = verify("--key", serverKey.toString(), "--share-id", SHARE_ID, asc.toString());

        assertEquals(ExitCodes.GOOD, both.exitCode(), both.toString());
        assertEquals(ExitCodes.GOOD, shareOnly.exitCode(), shareOnly.toString());
    }

    @Test
    void anotherShareIdOrOwnerIsABindingMismatch() throws IOException {
        Path asc = signedBy(server, "copied");

        CliRun wrongShare = verify("--key", serverKey.toString(), "--share-id", "0a1b2c3d-0000-0000-0000-000000000000",
                asc.toString());
        CliRun wrongOwner = verify("--key", serverKey.toString(), "--share-id", SHARE_ID, "--owner", "mallory",
                asc.toString());

        assertEquals(ExitCodes.BINDING_MISMATCH, wrongShare.exitCode(), wrongShare.toString());
        assertTrue(wrongShare.stdout().startsWith("WRONG SHARE: bound to share " + SHARE_ID), wrongShare.toString());
        assertEquals(ExitCodes.BINDING_MISMATCH, wrongOwner.exitCode(), wrongOwner.toString());
        assertTrue(wrongOwner.stdout().startsWith("WRONG OWNER: bound to owner alice, expected mallory"),
                wrongOwner.toString());
    }

    @Test
    void aTrophyChangedAfterSigningIsAMismatch() throws IOException {
        Path asc = signedBy(server, "changed");
        Path trophy = asc.resolveSibling("registered-email.trophy");
        Files.writeString(trophy, TROPHY.replace("alice@example.org", "mallory@example.org"));

        CliRun run = verify("--key", serverKey.toString(), asc.toString());

        assertEquals(ExitCodes.TROPHY_MISMATCH, run.exitCode(), run.toString());
        assertTrue(run.stdout().startsWith("MISMATCH: the signed trophy differs from"), run.toString());
        assertTrue(run.stdout().contains("email"), run.toString());
    }

    @Test
    void aMissingTrophyBesideTheSignatureIsAMismatch() throws IOException {
        Path asc = signedBy(server, "lonely");
        Files.delete(asc.resolveSibling("registered-email.trophy"));

        CliRun run = verify("--key", serverKey.toString(), asc.toString());

        assertEquals(ExitCodes.TROPHY_MISMATCH, run.exitCode(), run.toString());
        assertTrue(run.stdout().startsWith("MISMATCH: cannot read the trophy"), run.toString());
    }

    @Test
    void theTrophyToCompareWithCanBeNamed() throws IOException {
        Path asc = signedBy(server, "named");
        Path elsewhere = tmp.resolve("elsewhere.trophy");
        Files.writeString(elsewhere, TROPHY);
        Files.delete(asc.resolveSibling("registered-email.trophy"));

        CliRun run = verify("--key", serverKey.toString(), "--trophy", elsewhere.toString(), asc.toString());

        assertEquals(ExitCodes.GOOD, run.exitCode(), run.toString());
    }

    @Test
    void aSignatureByAnotherKeyIsBad() throws IOException {
        Path asc = signedBy(stranger, "stranger");

        CliRun run = verify("--key", serverKey.toString(), asc.toString());

        assertEquals(ExitCodes.BAD_SIGNATURE, run.exitCode(), run.toString());
        assertTrue(run.stdout().startsWith("BAD: made by key"), run.toString());
        assertTrue(run.stdout().contains("not a pinned key"), run.toString());
    }

    @Test
    void aTamperedSignedTextIsBad() throws IOException {
        Path asc = signedBy(server, "tampered");
        Files.writeString(asc, Files.readString(asc).replace("alice@example.org", "mallory@example.org"));
        Files.writeString(asc.resolveSibling("registered-email.trophy"),
                TROPHY.replace("alice@example.org", "mallory@example.org"));

        CliRun run = verify("--key", serverKey.toString(), asc.toString());

        assertEquals(ExitCodes.BAD_SIGNATURE, run.exitCode(), run.toString());
        assertTrue(run.stdout().startsWith("BAD: the signature does not match the text"), run.toString());
    }

    @Test
    void garbageIsNotAGoodSignature() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("garbage/example"));
        Files.writeString(dir.resolve("registered-email.trophy"), TROPHY);
        Path asc = dir.resolve("registered-email.trophy.asc");
        Files.writeString(asc, "this is not\nan OpenPGP message\n\u0000\u0001");

        CliRun run = verify("--key", serverKey.toString(), asc.toString());

        assertEquals(ExitCodes.BAD_SIGNATURE, run.exitCode(), run.toString());
        assertTrue(run.stdout().startsWith("BAD: not an OpenPGP cleartext-signed file"), run.toString());
    }

    @Test
    void aFileThatCannotBeReadIsNoInput() {
        CliRun missingAsc = verify("--key", serverKey.toString(), tmp.resolve("nowhere.trophy.asc").toString());
        CliRun missingKey = verify("--key", tmp.resolve("no-such-key.asc").toString(),
                tmp.resolve("nowhere.trophy.asc").toString());

        assertEquals(ExitCodes.NO_INPUT, missingAsc.exitCode(), missingAsc.toString());
        assertTrue(missingAsc.stderr().contains("cannot read"), missingAsc.toString());
        assertEquals(ExitCodes.NO_INPUT, missingKey.exitCode(), missingKey.toString());
        assertTrue(missingKey.stderr().contains("cannot read the pinned key"), missingKey.toString());
    }

    @Test
    void withoutKeyTheKeysOfTheLocalDataDirectoryArePinned() throws IOException {
        Path asc = signedBy(server, "local");

        CliRun run = CliRun.run(tmp.resolve("data"), "verify", asc.toString());

        assertEquals(ExitCodes.GOOD, run.exitCode(), run.toString());
        assertTrue(run.stdout().startsWith("GOOD: signed by " + server.active().fingerprint()), run.toString());
    }

    @Test
    void withoutKeyAndWithoutALocalKeyStoreNothingIsTrusted() throws IOException {
        Path asc = signedBy(server, "nokeys");
        Path empty = Files.createDirectories(tmp.resolve("empty-data-dir"));

        CliRun run = CliRun.run(empty, "verify", asc.toString());

        assertEquals(ExitCodes.NO_INPUT, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains("no key store"), run.toString());
        assertFalse(Files.exists(empty.resolve("keys")), "verify must not create a key store");
    }

    @Test
    void missingArgumentsAreAUsageError() {
        CliRun noFile = verify("--key", serverKey.toString());
        CliRun unknownOption = verify("--frobnicate", "x.trophy.asc");

        assertEquals(ExitCodes.USAGE, noFile.exitCode(), noFile.toString());
        assertEquals(ExitCodes.USAGE, unknownOption.exitCode(), unknownOption.toString());
    }

    @Test
    void a2012TrophyClearsignedByGpgWithDsaVerifiesAndSaysItIsNotBoundToAShare() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("old/ubuntu-community"));
        Files.writeString(dir.resolve("report-first-bug.trophy"), OLD_TROPHY);
        Path asc = dir.resolve("report-first-bug.trophy.asc");
        String signed = gpg.clearsign(dsa2048, "SHA256", OLD_TROPHY);
        assertTrue(signed.contains("\nHash: SHA256\n"), signed);
        Files.writeString(asc, signed);

        CliRun run = verify("--key", oldServerKey.toString(), asc.toString());

        assertEquals(ExitCodes.GOOD, run.exitCode(), run.toString());
        assertTrue(run.stdout().startsWith("GOOD: signed by " + dsa2048), run.toString());
        assertTrue(run.stdout().contains("carries no share binding"), run.toString());
    }

    @Test
    void a2012TrophyCannotProveWhichShareItBelongsTo() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("old-bound/ubuntu-community"));
        Files.writeString(dir.resolve("report-first-bug.trophy"), OLD_TROPHY);
        Path asc = dir.resolve("report-first-bug.trophy.asc");
        Files.writeString(asc, gpg.clearsign(dsa2048, "SHA256", OLD_TROPHY));

        CliRun byShare = verify("--key", oldServerKey.toString(), "--share-id", SHARE_ID, asc.toString());
        CliRun byOwner = verify("--key", oldServerKey.toString(), "--owner", OWNER, asc.toString());
        CliRun notPinned = verify("--key", serverKey.toString(), asc.toString());

        assertEquals(ExitCodes.BINDING_MISMATCH, byShare.exitCode(), byShare.toString());
        assertTrue(byShare.stdout().startsWith("UNBOUND: good signature"), byShare.toString());
        assertTrue(byShare.stdout().contains("no [validation] binding"), byShare.toString());
        assertEquals(ExitCodes.BINDING_MISMATCH, byOwner.exitCode(), byOwner.toString());
        assertEquals(ExitCodes.BAD_SIGNATURE, notPinned.exitCode(), notPinned.toString());
    }

    @Test
    void theKeyFileMayBeABinaryGpgExport() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("old-binary/ubuntu-community"));
        Files.writeString(dir.resolve("report-first-bug.trophy"), OLD_TROPHY);
        Path asc = dir.resolve("report-first-bug.trophy.asc");
        Files.writeString(asc, gpg.clearsign(dsa2048, "SHA256", OLD_TROPHY));
        Path binary = tmp.resolve("old-server.gpg");
        gpg.run("--output", binary.toString(), "--export", dsa2048);
        assertInstanceOf(byte[].class, Files.readAllBytes(binary));

        CliRun run = verify("--key", binary.toString(), asc.toString());

        assertEquals(ExitCodes.GOOD, run.exitCode(), run.toString());
    }
}
