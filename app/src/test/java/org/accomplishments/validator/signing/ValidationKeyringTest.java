package org.accomplishments.validator.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validator's keys: created once, kept across restarts, rotated and imported without breaking old trophies. */
class ValidationKeyringTest {

    static final String TROPHY = "[trophy]\nversion = 0.2\nid = ubuntu-community/report-first-bug\n\n"
            + "[validation]\nshare-id = 0a1b2c3d\nowner = alice\n";

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    static OpenPgpTools.Gpg gpg;

    @BeforeAll
    static void startGpg() throws IOException {
        gpg = new OpenPgpTools.Gpg(shared.resolve("gnupg"));
    }

    @AfterAll
    static void stopGpg() {
        gpg.close();
    }

    private Path keys() {
        return tmp.resolve("data").resolve("keys");
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private Path gpgVerifiable(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    @Test
    void aFirstStartGeneratesAnEd25519KeyThatARestartKeeps() {
        ValidationKeyring first = ValidationKeyring.open(keys(), KeyringSettings.defaults());
        String fingerprint = first.active().fingerprint();

        ValidationKeyring afterRestart = ValidationKeyring.open(keys(), KeyringSettings.defaults());

        assertEquals(fingerprint, afterRestart.active().fingerprint());
        assertTrue(fingerprint.matches("[0-9A-F]{40}"), fingerprint);
        assertEquals(KeyAlgorithm.ED25519, afterRestart.active().algorithm());
        List<PublishedKey> published = afterRestart.keys();
        assertEquals(1, published.size());
        assertEquals(KeyStatus.ACTIVE, published.get(0).status());
        assertTrue(published.get(0).retiredAt().isEmpty());
        assertTrue(published.get(0).armoredPublicKey().startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----\n"));
        assertTrue(!published.get(0).armoredPublicKey().contains("PRIVATE"));
    }

    @Test
    void theKeyDirectoryIsOwnerOnlyAndTheSecretKeyFileToo() throws IOException {
        ValidationKeyring keyring = ValidationKeyring.open(keys(), KeyringSettings.defaults());

        assertEquals("rwx------", permissions(keys()));
        assertEquals("rw-------", permissions(keys().resolve(keyring.active().fingerprint() + ".secret.asc")));
        assertEquals("rw-------", permissions(keys().resolve("keyring.properties")));
        try (Stream<Path> files = Files.list(keys())) {
            assertEquals(Set.of(keyring.active().fingerprint() + ".secret.asc", "keyring.properties", ".lock"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    @Test
    void aSecretKeyFileReadableByOthersStopsTheServiceInsteadOfBeingSilentlyRepaired() throws IOException {
        String fingerprint = ValidationKeyring.open(keys(), KeyringSettings.defaults()).active().fingerprint();
        Path secret = keys().resolve(fingerprint + ".secret.asc");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));

        KeyringException refused = assertThrows(KeyringException.class,
                () -> ValidationKeyring.open(keys(), KeyringSettings.defaults()));

        assertTrue(refused.getMessage().contains("chmod 600"), refused.getMessage());
        assertEquals("rw-r--r--", permissions(secret), "the file is left for the operator to judge");
    }

    @Test
    void aKeyDirectoryOpenToOthersIsTightenedBecauseItHoldsNoSecretByItself() throws IOException {
        ValidationKeyring.open(keys(), KeyringSettings.defaults());
        Files.setPosixFilePermissions(keys(), PosixFilePermissions.fromString("rwxr-xr-x"));

        ValidationKeyring.open(keys(), KeyringSettings.defaults());

        assertEquals("rwx------", permissions(keys()));
    }

    @Test
    void afterARotationNewTrophiesNameTheNewKeyAndOldOnesStillVerifyAgainstAllPublishedKeys() throws IOException {
        ValidationKeyring keyring = ValidationKeyring.open(keys(), KeyringSettings.defaults());
        ClearsignSigner signer = new ClearsignSigner(keyring);
        SignedText beforeRotation = signer.sign(TROPHY);

        PublishedKey rotated = keyring.rotate(KeyAlgorithm.RSA_3072);
        SignedText afterRotation = signer.sign(TROPHY);

        assertNotEquals(beforeRotation.fingerprint(), afterRotation.fingerprint());
        assertEquals(rotated.fingerprint(), afterRotation.fingerprint());
        assertEquals(KeyAlgorithm.RSA_3072, rotated.algorithm());
        List<PublishedKey> published = keyring.keys();
        assertEquals(List.of(KeyStatus.ACTIVE, KeyStatus.RETIRED), published.stream().map(PublishedKey::status).toList());
        assertEquals(beforeRotation.fingerprint(), published.get(1).fingerprint());
        assertTrue(published.get(1).retiredAt().isPresent());

        PinnedKeys everything = PinnedKeys.parse(keyring.armoredAllPublicKeys());
        SignatureVerifier verifier = new SignatureVerifier();
        assertEquals(beforeRotation.fingerprint(), assertInstanceOf(VerificationResult.Good.class,
                verifier.verify(beforeRotation.armored(), everything)).fingerprint());
        assertEquals(afterRotation.fingerprint(), assertInstanceOf(VerificationResult.Good.class,
                verifier.verify(afterRotation.armored(), everything)).fingerprint());
        assertInstanceOf(VerificationResult.UnknownKey.class,
                verifier.verify(beforeRotation.armored(), PinnedKeys.parse(keyring.armoredActivePublicKey())));

        try (OpenPgpTools.Gpg fresh = new OpenPgpTools.Gpg(tmp.resolve("gnupg"))) {
            fresh.importKeys(keyring.armoredAllPublicKeys());
            OpenPgpTools.Run old = fresh.verify(gpgVerifiable("old.asc", beforeRotation.armored()));
            assertEquals(0, old.exitCode(), old.stderr());
            assertTrue(old.stdout().contains("VALIDSIG " + beforeRotation.fingerprint()), old.stdout());
        }
        Path certs = Files.writeString(tmp.resolve("all.asc"), keyring.armoredAllPublicKeys());
        assertEquals(TROPHY, OpenPgpTools.sqopInlineVerify(certs, beforeRotation.armored()).requireSuccess("sqop")
                .stdout());

        ValidationKeyring afterRestart = ValidationKeyring.open(keys(), KeyringSettings.defaults());
        assertEquals(rotated.fingerprint(), afterRestart.active().fingerprint());
        assertEquals(published, afterRestart.keys());
    }

    @Test
    void aGpgExportedSecretKeyImportedLaterBecomesActiveAndItsTrophiesVerifyWithGpg() throws IOException {
        ValidationKeyring keyring = ValidationKeyring.open(keys(), KeyringSettings.defaults());
        String generated = keyring.active().fingerprint();
        String fingerprint = gpg.generateKey("Imported <imported@example.org>", "ed25519");
        String exported = gpg.run("--passphrase", "", "--armor", "--export-secret-keys", fingerprint)
                .requireSuccess("gpg --export-secret-keys").stdout();

        PublishedKey imported = keyring.importKey(exported);
        SignedText signed = new ClearsignSigner(keyring).sign(TROPHY);

        assertEquals(fingerprint, imported.fingerprint());
        assertEquals(fingerprint, signed.fingerprint());
        assertEquals(KeyStatus.RETIRED, keyring.keys().stream().filter(k -> k.fingerprint().equals(generated))
                .findFirst().orElseThrow().status());
        OpenPgpTools.Run verify = gpg.verify(gpgVerifiable("imported.asc", signed.armored()));
        assertEquals(0, verify.exitCode(), verify.stderr());
        assertTrue(verify.stdout().contains("[GNUPG:] VALIDSIG " + fingerprint), verify.stdout());
        assertEquals(fingerprint, ValidationKeyring.open(keys(), KeyringSettings.defaults()).active().fingerprint());
    }

    @Test
    void aFirstStartImportsTheConfiguredKeyFileInsteadOfGeneratingOne() throws IOException {
        String fingerprint = gpg.generateKey("Configured <configured@example.org>", "ed25519");
        Path binary = tmp.resolve("validator.secret.gpg");
        gpg.run("--passphrase", "", "--output", binary.toString(), "--export-secret-keys", fingerprint)
                .requireSuccess("gpg --export-secret-keys");

        ValidationKeyring keyring = ValidationKeyring.open(keys(), KeyringSettings.defaults().withImportFile(binary));

        assertEquals(fingerprint, keyring.active().fingerprint());
        assertEquals(1, keyring.keys().size());
        assertEquals("rw-------", permissions(keys().resolve(fingerprint + ".secret.asc")));
    }

    @Test
    void aFirstStartImportsTheConfiguredArmoredKey() {
        String fingerprint = gpg.generateKey("Armored <armored@example.org>", "ed25519");
        String armored = gpg.run("--passphrase", "", "--armor", "--export-secret-keys", fingerprint)
                .requireSuccess("gpg --export-secret-keys").stdout();

        ValidationKeyring keyring = ValidationKeyring.open(keys(), KeyringSettings.defaults()
                .withImportArmored(armored));

        assertEquals(fingerprint, keyring.active().fingerprint());
    }

    @Test
    void aPassphraseProtectedKeyIsRefusedWithAClearMessage() {
        gpg.run("--passphrase", "correct horse", "--quick-gen-key", "Locked <locked@example.org>", "ed25519",
                "sign", "never").requireSuccess("gpg --quick-gen-key with passphrase");
        String exported = gpg.run("--passphrase", "correct horse", "--armor", "--export-secret-keys",
                "locked@example.org").requireSuccess("gpg --export-secret-keys").stdout();

        KeyringException refused = assertThrows(KeyringException.class, () -> ValidationKeyring.open(keys(),
                KeyringSettings.defaults().withImportArmored(exported)));

        assertTrue(refused.getMessage().contains("passphrase"), refused.getMessage());
        assertTrue(!Files.exists(keys().resolve("keyring.properties")), "nothing was provisioned");
    }

    @Test
    void keysThatGpg22OrSqopWouldNotAcceptAndPublicKeysAreRefusedForImport() {
        ValidationKeyring keyring = ValidationKeyring.open(keys(), KeyringSettings.defaults());
        String rsa2048 = gpg.generateKey("Small <small@example.org>", "rsa2048");

        KeyringException wrongAlgorithm = assertThrows(KeyringException.class, () -> keyring.importKey(
                gpg.run("--passphrase", "", "--armor", "--export-secret-keys", rsa2048).stdout()));
        KeyringException publicOnly = assertThrows(KeyringException.class,
                () -> keyring.importKey(gpg.exportPublic(rsa2048)));
        KeyringException garbage = assertThrows(KeyringException.class, () -> keyring.importKey("garbage"));

        assertTrue(wrongAlgorithm.getMessage().contains("RSA-3072"), wrongAlgorithm.getMessage());
        assertTrue(publicOnly.getMessage().contains("no secret key"), publicOnly.getMessage());
        assertNotEquals(null, garbage.getMessage());
        assertEquals(1, keyring.keys().size());
    }

    @Test
    void aTextThatNamesItsSigningKeyIsSignedByThatKeyEvenIfARotationHappensInBetween() {
        ValidationKeyring keyring = ValidationKeyring.open(keys(), KeyringSettings.defaults());
        ClearsignSigner signer = new ClearsignSigner(keyring);
        SigningKey key = keyring.active();
        String text = TROPHY + "key = " + key.fingerprint() + "\n";

        keyring.rotate(KeyAlgorithm.ED25519);
        SignedText signed = signer.sign(key, text);

        assertEquals(key.fingerprint(), signed.fingerprint());
        assertEquals(key.fingerprint(), assertInstanceOf(VerificationResult.Good.class,
                new SignatureVerifier().verify(signed.armored(), keyring.pinnedKeys())).fingerprint());
        assertNotEquals(key.fingerprint(), signer.sign(text).fingerprint());
    }

    @Test
    void aKeyFileWhoseMetadataWasNeverWrittenIsAdoptedNotReplaced() throws IOException {
        String fingerprint = ValidationKeyring.open(keys(), KeyringSettings.defaults()).active().fingerprint();
        Files.delete(keys().resolve("keyring.properties"));

        assertEquals(fingerprint, ValidationKeyring.open(keys(), KeyringSettings.defaults()).active().fingerprint());
    }

    @Test
    void signingFromManyThreadsWhileRotatingProducesOnlyVerifiableTrophies() throws Exception {
        ValidationKeyring keyring = ValidationKeyring.open(keys(), KeyringSettings.defaults());
        ClearsignSigner signer = new ClearsignSigner(keyring);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<SignedText>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 400; i++) {
                String text = TROPHY + "n = " + i + "\n";
                futures.add(pool.submit(() -> signer.sign(text)));
                if (i == 150 || i == 300) {
                    keyring.rotate(KeyAlgorithm.ED25519);
                }
            }
            PinnedKeys all = keyring.pinnedKeys();
            SignatureVerifier verifier = new SignatureVerifier();
            Set<String> signers = ConcurrentHashMap.newKeySet();
            for (Future<SignedText> future : futures) {
                SignedText signed = future.get();
                VerificationResult.Good good = assertInstanceOf(VerificationResult.Good.class,
                        verifier.verify(signed.armored().getBytes(StandardCharsets.UTF_8), all));
                assertEquals(signed.fingerprint(), good.fingerprint());
                signers.add(good.fingerprint());
            }
            assertEquals(3, keyring.keys().size());
            assertTrue(signers.contains(keyring.active().fingerprint()));
        } finally {
            pool.shutdownNow();
        }
    }
}
