package org.accomplishments.validator.signing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trophies clear-signed by GnuPG itself (as the 2012 server did) verify with our verifier when, and only when,
 * the signing key is pinned; everything else comes back as a typed failure, never an exception.
 */
class GpgSignedTrophiesTest {

    static final String OLD_TROPHY = """
            [trophy]
            version = 0.2
            id = ubuntu-community/report-first-bug
            date-accomplished = 2012-04-30 22:17
            needs-signing = true
            - dash line
            From here
            """;

    @TempDir
    static Path tmp;

    static OpenPgpTools.Gpg gpg;
    static String ed25519;
    static String dsa2048;
    static String rsa2048;
    static String stranger;
    static PinnedKeys pinnedEd25519AndDsa;

    @BeforeAll
    static void gpgMakesKeysLikeTheOldServerAndAStranger() {
        assertDoesNotThrow(() -> gpg = new OpenPgpTools.Gpg(tmp.resolve("gnupg")));
        ed25519 = gpg.generateKey("Validator 2024 <ed@example.org>", "ed25519");
        dsa2048 = gpg.generateKey("Validator 2012 <dsa@example.org>", "dsa2048");
        rsa2048 = gpg.generateKey("Validator RSA <rsa@example.org>", "rsa2048");
        stranger = gpg.generateKey("Mallory <mallory@example.org>", "ed25519");
        pinnedEd25519AndDsa = PinnedKeys.parse(gpg.exportPublic(ed25519) + gpg.exportPublic(dsa2048));
    }

    @AfterAll
    static void stopTheAgent() {
        if (gpg != null) {
            gpg.close();
        }
    }

    private static VerificationResult verify(String asc, PinnedKeys keys) {
        return new SignatureVerifier().verify(asc, keys);
    }

    @Test
    void anEd25519TrophyClearsignedByGpgVerifiesWhenItsKeyIsPinned() {
        String asc = gpg.clearsign(ed25519, "SHA512", OLD_TROPHY);

        VerificationResult.Good good = assertInstanceOf(VerificationResult.Good.class,
                verify(asc, pinnedEd25519AndDsa));

        assertEquals(OLD_TROPHY, good.signedText());
        assertEquals(ed25519, good.fingerprint());
        assertEquals("SHA512", good.hashAlgorithm());
    }

    @Test
    void aDsa2048TrophyWithSha256LikeThe2012ServerVerifiesWhenItsKeyIsPinned() {
        String asc = gpg.clearsign(dsa2048, "SHA256", OLD_TROPHY);
        assertTrue(asc.contains("\nHash: SHA256\n"), asc);

        VerificationResult.Good good = assertInstanceOf(VerificationResult.Good.class,
                verify(asc, pinnedEd25519AndDsa));

        assertEquals(OLD_TROPHY, good.signedText());
        assertEquals(dsa2048, good.fingerprint());
        assertEquals("SHA256", good.hashAlgorithm());
    }

    @Test
    void pinnedKeysAlsoLoadFromABinaryExportFile() throws IOException {
        Path binary = tmp.resolve("dsa.gpg");
        gpg.run("--output", binary.toString(), "--export", dsa2048).requireSuccess("gpg --export");

        PinnedKeys keys = PinnedKeys.load(binary);

        assertEquals(java.util.List.of(dsa2048), keys.fingerprints());
        assertTrue(verify(gpg.clearsign(dsa2048, "SHA256", OLD_TROPHY), keys).isGood());
    }

    @Test
    void aTamperedTextIsABadSignature() {
        String asc = gpg.clearsign(ed25519, "SHA512", OLD_TROPHY);
        String tampered = asc.replace("ubuntu-community/report-first-bug", "ubuntu-community/ubuntu-member");

        VerificationResult result = verify(tampered, pinnedEd25519AndDsa);

        assertInstanceOf(VerificationResult.BadSignature.class, result);
    }

    @Test
    void aLineAddedToTheSignedTextIsABadSignature() {
        String asc = gpg.clearsign(dsa2048, "SHA256", OLD_TROPHY);
        String tampered = asc.replace("From here\n", "From here\nowner = mallory\n");

        assertInstanceOf(VerificationResult.BadSignature.class, verify(tampered, pinnedEd25519AndDsa));
    }

    @Test
    void aSignatureByAKeyThatIsNotPinnedIsAnUnknownKeyEvenIfTheKeyIsInTheFileNextToIt() {
        String asc = gpg.clearsign(stranger, "SHA512", OLD_TROPHY);

        VerificationResult.UnknownKey unknown = assertInstanceOf(VerificationResult.UnknownKey.class,
                verify(asc, pinnedEd25519AndDsa));

        assertEquals(stranger.substring(24), unknown.keyIdHex());
    }

    @Test
    void aSha1SignatureIsAWeakHashEvenFromAPinnedKey() {
        String asc = gpg.clearsign(rsa2048, "SHA1", OLD_TROPHY);
        assertTrue(asc.contains("\nHash: SHA1\n"), asc);

        VerificationResult result = verify(asc, PinnedKeys.parse(gpg.exportPublic(rsa2048)));

        assertEquals(new VerificationResult.WeakHash("SHA1"), result);
    }

    @Test
    void aHashHeaderThatDisagreesWithTheSignatureIsRefused() {
        String asc = gpg.clearsign(ed25519, "SHA512", OLD_TROPHY).replace("Hash: SHA512", "Hash: SHA256");

        assertInstanceOf(VerificationResult.BadSignature.class, verify(asc, pinnedEd25519AndDsa));
    }

    @Test
    void anRsa2048KeyFallsUnderAPolicyThatDemands3072Bits() {
        String asc = gpg.clearsign(rsa2048, "SHA256", OLD_TROPHY);

        VerificationResult result = new SignatureVerifier(AlgorithmPolicy.standard().withMinimumKeyBits(3072))
                .verify(asc, PinnedKeys.parse(gpg.exportPublic(rsa2048)));

        assertEquals(rsa2048, assertInstanceOf(VerificationResult.WeakKey.class, result).fingerprint());
    }

    @Test
    void garbageBinaryAndTruncatedInputAreNotCleartextSigned() {
        String asc = gpg.clearsign(ed25519, "SHA512", OLD_TROPHY);
        byte[] detachedBinary = gpg.run(OLD_TROPHY.getBytes(StandardCharsets.UTF_8), "--local-user", ed25519,
                "--sign").requireSuccess("gpg --sign").stdout().getBytes(StandardCharsets.ISO_8859_1);
        String armoredSignedMessage = gpg.run(OLD_TROPHY.getBytes(StandardCharsets.UTF_8), "--local-user", ed25519,
                "--armor", "--sign").requireSuccess("gpg --armor --sign").stdout();

        for (String input : new String[] {
                "", "hello", "[trophy]\nid = a/b\n", armoredSignedMessage,
                asc.substring(0, asc.indexOf("-----BEGIN PGP SIGNATURE-----")),
                asc.substring(0, asc.length() - 40),
                asc.replace("\n- - dash line", "\n-- dash line"),
                asc.replace("Hash: SHA512", "Hash: SHA512\nComment: injected"),
                asc + "\nText after the signature that nobody signed\n",
                asc.replaceFirst("\n[A-Za-z0-9+/]{10}", "\n!!!!!!!!!!")}) {
            assertInstanceOf(VerificationResult.NotCleartextSigned.class, verify(input, pinnedEd25519AndDsa),
                    "input: " + input);
        }
        assertInstanceOf(VerificationResult.NotCleartextSigned.class,
                new SignatureVerifier().verify(detachedBinary, pinnedEd25519AndDsa));
        assertInstanceOf(VerificationResult.NotCleartextSigned.class,
                new SignatureVerifier().verify(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}, pinnedEd25519AndDsa));
    }

    @Test
    void inputAboveOneMebibyteIsRefusedUnread() {
        String huge = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n" + "x".repeat(1024 * 1024);

        VerificationResult.TooLarge tooLarge = assertInstanceOf(VerificationResult.TooLarge.class,
                verify(huge, pinnedEd25519AndDsa));

        assertEquals(SignatureVerifier.MAX_INPUT_BYTES, tooLarge.limit());
    }

    @Test
    void randomlyDamagedSignaturesNeverThrowAndNeverVerify() {
        String asc = gpg.clearsign(ed25519, "SHA512", OLD_TROPHY);
        Random random = new Random(20120430);
        SignatureVerifier verifier = new SignatureVerifier();
        for (int round = 0; round < 3000; round++) {
            char[] chars = asc.toCharArray();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                int at = random.nextInt(chars.length);
                chars[at] = (char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(256));
            }
            String damaged = new String(chars);
            VerificationResult result = assertDoesNotThrow(() -> verifier.verify(damaged, pinnedEd25519AndDsa));
            assertNotNull(result);
            if (result instanceof VerificationResult.Good good) {
                // Only damage the signature does not cover may pass: trailing blanks, armor header text, ...
                assertEquals(OLD_TROPHY, good.signedText(), "damaged input verified as other text:\n" + damaged);
            }
        }
    }

    @Test
    void pinnedKeysRefuseInputWithoutAnyKey() {
        assertThrows(IllegalArgumentException.class, () -> PinnedKeys.parse("no keys here"));
        assertThrows(IllegalArgumentException.class, () -> PinnedKeys.parse(new byte[] {1, 2, 3, 4}));
    }
}
