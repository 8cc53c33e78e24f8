package org.accomplishments.validator.signing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many trophies one thread signs per second. Printed, not asserted: shared build machines are too noisy
 * for a speed threshold, and a flaky test teaches people to ignore failures. The design asks for thousands
 * per second with Ed25519.
 */
class SigningThroughputTest {

    private static final String TROPHY = ClearsignInteropTest.TROPHY;

    @TempDir
    Path tmp;

    @Test
    void ed25519SigningRateOnOneThreadIsPrinted() {
        double rate = measure(KeyAlgorithm.ED25519, SignatureHash.SHA512, 3_000, 20_000);
        assertTrue(rate > 0);
    }

    @Test
    void rsa3072SigningRateOnOneThreadIsPrinted() {
        double rate = measure(KeyAlgorithm.RSA_3072, SignatureHash.SHA512, 50, 300);
        assertTrue(rate > 0);
    }

    private double measure(KeyAlgorithm algorithm, SignatureHash hash, int warmUp, int count) {
        ValidationKeyring keyring = ValidationKeyring.open(tmp.resolve(algorithm.name()),
                KeyringSettings.generate(algorithm, KeyringSettings.DEFAULT_USER_ID));
        ClearsignSigner signer = new ClearsignSigner(keyring, hash);
        long sink = 0;
        for (int i = 0; i < warmUp; i++) {
            sink += signer.sign(TROPHY).armored().length();
        }
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            sink += signer.sign(TROPHY).armored().length();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = count / seconds;
        System.out.printf(Locale.ROOT, "SIGNING RATE %s/%s: %.0f signatures/s on one thread (%d in %.2f s, %d bytes)%n",
                algorithm, hash, rate, count, seconds, sink);
        return rate;
    }
}
