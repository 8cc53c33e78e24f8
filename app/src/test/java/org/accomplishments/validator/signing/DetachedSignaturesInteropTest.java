package org.accomplishments.validator.signing;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The collection store's index signature is an ordinary detached OpenPGP signature: the real {@code gpg} and
 * {@code sqop} verify it over the exact bytes, refuse it over changed bytes, and ours refuses another key's.
 */
class DetachedSignaturesInteropTest {
    @TempDir
    Path temp;

    @Test
    void gpgAndSqopVerifyTheIndexSignatureAndRefuseChangedBytes() throws Exception {
        OpenPgpTools.requireTool("gpg");
        OpenPgpTools.requireTool("sqop");
        ValidationKeyring keyring = ValidationKeyring.open(temp.resolve("keys"), KeyringSettings.defaults());
        byte[] index = "{\"schema\" : 1, \"serial\" : 7, \"entries\" : [ ]}\n".getBytes(StandardCharsets.UTF_8);
        String signature = new DetachedSignatures().sign(keyring.active(), index);
        Path data = Files.write(temp.resolve("index"), index);
        Path asc = Files.writeString(temp.resolve("index.asc"), signature);
        Path cert = Files.writeString(temp.resolve("cert.asc"), keyring.armoredActivePublicKey());
        Path tampered = Files.write(temp.resolve("tampered"), new String(index, StandardCharsets.UTF_8)
                .replace("7", "8").getBytes(StandardCharsets.UTF_8));

        try (OpenPgpTools.Gpg gpg = new OpenPgpTools.Gpg(temp.resolve("gnupg"))) {
            gpg.importKeys(keyring.armoredActivePublicKey());
            gpg.run("--verify", asc.toString(), data.toString()).requireSuccess("gpg --verify index.asc index");
            assertNotEquals(0, gpg.run("--verify", asc.toString(), tampered.toString()).exitCode());
        }
        OpenPgpTools.run(List.of("sqop", "verify", asc.toString(), cert.toString()), Map.of(), index)
                .requireSuccess("sqop verify");
        assertNotEquals(0, OpenPgpTools.run(List.of("sqop", "verify", asc.toString(), cert.toString()), Map.of(),
                Files.readAllBytes(tampered)).exitCode());

        assertInstanceOf(VerificationResult.Good.class,
                new DetachedSignatures().verify(index, signature, keyring.pinnedKeys()));
        ValidationKeyring other = ValidationKeyring.open(temp.resolve("other"), KeyringSettings.defaults());
        assertInstanceOf(VerificationResult.UnknownKey.class,
                new DetachedSignatures().verify(index, signature, other.pinnedKeys()));
        assertTrue(new DetachedSignatures().verify(Files.readAllBytes(tampered), signature, keyring.pinnedKeys())
                instanceof VerificationResult.BadSignature);
    }
}
