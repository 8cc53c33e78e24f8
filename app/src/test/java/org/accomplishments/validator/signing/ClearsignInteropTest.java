package org.accomplishments.validator.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Trophies signed by the validator verify with GnuPG 2.2, Sequoia's sqop, and our own verifier. */
class ClearsignInteropTest {

    static final String TROPHY = """
            [trophy]
            version = 0.2
            id = ubuntu-community/report-first-bug
            date-accomplished = 2012-04-30 22:17
            needs-signing = true
            needs-information = launchpad-email
            launchpad-email = someone@example.org
            - a line that starts with a dash
            -----BEGIN PGP SIGNATURE-----
            From the bug tracker, with love

            [validation]
            share-id = 0a1b2c3d-4e5f-6789-abcd-ef0123456789
            owner = alice
            validated-at = 2026-11-21T19:22:05Z
            key = 0123456789ABCDEF0123456789ABCDEF01234567
            """;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "a trophy signed with {0} verifies with gpg --verify")
    @EnumSource(KeyAlgorithm.class)
    void aSignedTrophyVerifiesWithGpg(KeyAlgorithm algorithm) throws IOException {
        ValidationKeyring keyring = ValidationKeyring.open(tmp.resolve("keys"),
                KeyringSettings.generate(algorithm, KeyringSettings.DEFAULT_USER_ID));
        SignedText signed = new ClearsignSigner(keyring).sign(TROPHY);
        Path asc = Files.writeString(tmp.resolve("report-first-bug.trophy.asc"), signed.armored());

        try (OpenPgpTools.Gpg gpg = new OpenPgpTools.Gpg(tmp.resolve("gnupg"))) {
            gpg.importKeys(keyring.armoredActivePublicKey());
            OpenPgpTools.Run verify = gpg.verify(asc);

            assertEquals(0, verify.exitCode(), verify.stderr());
            assertTrue(verify.stdout().contains("[GNUPG:] GOODSIG "), verify.stdout());
            assertTrue(verify.stdout().contains("[GNUPG:] VALIDSIG " + signed.fingerprint()), verify.stdout());

            // A v4 text signature over SHA-512 with hashed creation time (2) and issuer fingerprint (33).
            String signatureBlock = signed.armored().substring(signed.armored().lastIndexOf(
                    "\n-----BEGIN PGP SIGNATURE-----") + 1);
            String packets = gpg.run(signatureBlock.getBytes(StandardCharsets.US_ASCII), "--list-packets")
                    .requireSuccess("gpg --list-packets").stdout();
            assertTrue(packets.contains("version 4, created "), packets);
            assertTrue(packets.contains("sigclass 0x01"), packets);
            assertTrue(packets.contains("digest algo 10"), packets);
            assertTrue(packets.contains("hashed subpkt 2 len 4 (sig created"), packets);
            assertTrue(packets.contains("hashed subpkt 33 len 21 (issuer fpr v4 " + signed.fingerprint()), packets);
        }
    }

    @ParameterizedTest(name = "a trophy signed with {0} verifies with sqop, which reads back exactly our text")
    @EnumSource(KeyAlgorithm.class)
    void aSignedTrophyVerifiesWithSqop(KeyAlgorithm algorithm) throws IOException {
        ValidationKeyring keyring = ValidationKeyring.open(tmp.resolve("keys"),
                KeyringSettings.generate(algorithm, KeyringSettings.DEFAULT_USER_ID));
        SignedText signed = new ClearsignSigner(keyring).sign(TROPHY);
        Path cert = Files.writeString(tmp.resolve("validator.pub.asc"), keyring.armoredActivePublicKey());

        OpenPgpTools.Run verify = OpenPgpTools.sqopInlineVerify(cert, signed.armored());

        assertEquals(0, verify.exitCode(), verify.stderr());
        assertEquals(TROPHY, verify.stdout());
        assertEquals(TROPHY, signed.signedText());
    }

    @ParameterizedTest(name = "a trophy signed with {0} verifies with our verifier against the published keys")
    @EnumSource(KeyAlgorithm.class)
    void aSignedTrophyVerifiesWithOurVerifier(KeyAlgorithm algorithm) {
        ValidationKeyring keyring = ValidationKeyring.open(tmp.resolve("keys"),
                KeyringSettings.generate(algorithm, KeyringSettings.DEFAULT_USER_ID));
        SignedText signed = new ClearsignSigner(keyring).sign(TROPHY);

        VerificationResult result = new SignatureVerifier()
                .verify(signed.armored(), PinnedKeys.parse(keyring.armoredAllPublicKeys()));

        VerificationResult.Good good = assertInstanceOf(VerificationResult.Good.class, result);
        assertEquals(TROPHY, good.signedText());
        assertEquals(signed.fingerprint(), good.fingerprint());
        assertEquals(signed.signedAt(), good.signedAt());
        assertEquals("SHA512", good.hashAlgorithm());
    }

    @Test
    void theAscIsAClearsignedMessageWithDashEscapingAndTheChosenHash() {
        ValidationKeyring keyring = ValidationKeyring.open(tmp.resolve("keys"), KeyringSettings.defaults());
        SignedText signed = new ClearsignSigner(keyring, SignatureHash.SHA256).sign(TROPHY);

        assertTrue(signed.armored().startsWith("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n[trophy]\n"),
                signed.armored());
        assertTrue(signed.armored().contains("\n- - a line that starts with a dash\n"), signed.armored());
        assertTrue(signed.armored().contains("\n- -----BEGIN PGP SIGNATURE-----\n"), signed.armored());
        assertTrue(signed.armored().contains("\n- From the bug tracker, with love\n"), signed.armored());
        assertTrue(signed.armored().contains("key = 0123456789ABCDEF0123456789ABCDEF01234567\n"
                + "-----BEGIN PGP SIGNATURE-----\n"), signed.armored());
        assertTrue(signed.armored().endsWith("-----END PGP SIGNATURE-----\n"), signed.armored());
        assertTrue(!signed.armored().contains("Version:"), "no implementation banner in the armor");
    }

    @Test
    void aSha256SignatureVerifiesWithGpgAndSqop() throws IOException {
        ValidationKeyring keyring = ValidationKeyring.open(tmp.resolve("keys"), KeyringSettings.defaults());
        SignedText signed = new ClearsignSigner(keyring, SignatureHash.SHA256).sign(TROPHY);
        Path asc = Files.writeString(tmp.resolve("t.trophy.asc"), signed.armored());
        Path cert = Files.writeString(tmp.resolve("validator.pub.asc"), keyring.armoredActivePublicKey());

        try (OpenPgpTools.Gpg gpg = new OpenPgpTools.Gpg(tmp.resolve("gnupg"))) {
            gpg.importKeys(keyring.armoredActivePublicKey());
            OpenPgpTools.Run verify = gpg.verify(asc);
            assertEquals(0, verify.exitCode(), verify.stderr());
            assertTrue(verify.stdout().contains("[GNUPG:] VALIDSIG " + signed.fingerprint()), verify.stdout());
        }
        assertEquals(TROPHY, OpenPgpTools.sqopInlineVerify(cert, signed.armored()).requireSuccess("sqop").stdout());
    }

    @Test
    void trailingWhitespaceAndCrLfAreNormalisedTheWayRfc4880SaysAndStillVerifyEverywhere() throws IOException {
        ValidationKeyring keyring = ValidationKeyring.open(tmp.resolve("keys"), KeyringSettings.defaults());
        String sloppy = "[trophy]  \r\nversion = 0.2\t\r\nid = a/b \t \r\n\r\n";

        SignedText signed = new ClearsignSigner(keyring).sign(sloppy);

        String expected = "[trophy]\nversion = 0.2\nid = a/b\n\n";
        assertEquals(expected, signed.signedText());
        VerificationResult.Good good = assertInstanceOf(VerificationResult.Good.class,
                new SignatureVerifier().verify(signed.armored(), keyring.pinnedKeys()));
        assertEquals(expected, good.signedText());
        Path cert = Files.writeString(tmp.resolve("validator.pub.asc"), keyring.armoredActivePublicKey());
        assertEquals(expected, OpenPgpTools.sqopInlineVerify(cert, signed.armored()).requireSuccess("sqop").stdout());
        try (OpenPgpTools.Gpg gpg = new OpenPgpTools.Gpg(tmp.resolve("gnupg"))) {
            gpg.importKeys(keyring.armoredActivePublicKey());
            assertEquals(0, gpg.verify(Files.writeString(tmp.resolve("s.asc"), signed.armored())).exitCode());
        }
    }

    @Test
    void whitespaceAddedToASignedLineIsNotCoveredAndIsNotReportedAsSigned() {
        ValidationKeyring keyring = ValidationKeyring.open(tmp.resolve("keys"), KeyringSettings.defaults());
        SignedText signed = new ClearsignSigner(keyring).sign("[trophy]\nid = a/b\n");

        String padded = signed.armored().replace("id = a/b\n", "id = a/b   \n");

        VerificationResult.Good good = assertInstanceOf(VerificationResult.Good.class,
                new SignatureVerifier().verify(padded.getBytes(StandardCharsets.UTF_8), keyring.pinnedKeys()));
        assertEquals("[trophy]\nid = a/b\n", good.signedText());
    }
}
