package org.accomplishments.validator.signing;

import java.time.Instant;

import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * The unlocked key that signs now. Unlocked once when the keyring is opened (or the key created) and held in
 * memory, so that signing costs one signature operation and nothing else. The Bouncy Castle objects are only
 * visible inside this package.
 */
public final class SigningKey {
    private final String fingerprint;
    private final KeyAlgorithm algorithm;
    private final Instant created;
    private final PGPPublicKey publicKey;
    private final PGPPrivateKey privateKey;

    SigningKey(KeyAlgorithm algorithm, PGPPublicKey publicKey, PGPPrivateKey privateKey) {
        this.fingerprint = OpenPgp.fingerprint(publicKey);
        this.algorithm = algorithm;
        this.created = publicKey.getCreationTime().toInstant();
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /** 40 upper-case hex digits; what the {@code [validation] key =} line of a signed trophy names. */
    public String fingerprint() {
        return fingerprint;
    }

    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    public Instant created() {
        return created;
    }

    PGPPublicKey publicKey() {
        return publicKey;
    }

    PGPPrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        // Never the key material.
        return "SigningKey[" + algorithm + " " + fingerprint + "]";
    }
}
