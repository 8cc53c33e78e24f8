package org.accomplishments.validator.signing;

import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;

/**
 * The key algorithms the validator creates and accepts for its own signing keys.
 *
 * <p>Only these two because the signed trophies must verify with GnuPG 2.2 and Sequoia 0.27 as shipped in
 * Debian 12: both check v4 keys with legacy EdDSA Ed25519 (algorithm 22) and RSA, but refuse v6 keys and the
 * RFC 9580 Ed25519 algorithm (27) that newer libraries pick by default.
 */
public enum KeyAlgorithm {
    /** v4 key, legacy EdDSA over Ed25519 (OpenPGP algorithm 22). Fast: thousands of signatures a second. */
    ED25519(PublicKeyAlgorithmTags.EDDSA_LEGACY, 256),
    /** v4 RSA key of 3072 bits, for clients whose OpenPGP stack predates EdDSA. About 50 times slower to sign. */
    RSA_3072(PublicKeyAlgorithmTags.RSA_GENERAL, 3072);

    private final int openPgpAlgorithm;
    private final int bits;

    KeyAlgorithm(int openPgpAlgorithm, int bits) {
        this.openPgpAlgorithm = openPgpAlgorithm;
        this.bits = bits;
    }

    /** The OpenPGP public-key algorithm id (22 for legacy EdDSA, 1 for RSA). */
    public int openPgpAlgorithm() {
        return openPgpAlgorithm;
    }

    public int bits() {
        return bits;
    }

    public static KeyAlgorithm defaultAlgorithm() {
        return ED25519;
    }
}
