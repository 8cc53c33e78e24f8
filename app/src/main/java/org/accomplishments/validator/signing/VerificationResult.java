package org.accomplishments.validator.signing;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link SignatureVerifier#verify} found. One type per outcome, so callers switch over them and the
 * compiler checks that every failure is handled; none of them is an exception, because hostile input is a
 * normal case here, not an exceptional one.
 */
public sealed interface VerificationResult {

    default boolean isGood() {
        return this instanceof Good;
    }

    /**
     * A pinned key made this signature over exactly {@code signedText}.
     *
     * @param signedText    the signed text: dash-escaping removed, trailing spaces/tabs removed (they are not
     *                      covered by the signature), every line ended by {@code \n}, as gpg and sqop print it
     * @param fingerprint   primary-key fingerprint (40 upper-case hex) of the pinned certificate that signed;
     *                      for a signing subkey, the certificate's primary fingerprint, which is what is pinned
     * @param signedAt      the signature creation time claimed by the signer
     * @param hashAlgorithm the digest, as named in a {@code Hash:} header (e.g. {@code SHA512})
     */
    record Good(String signedText, String fingerprint, Instant signedAt, String hashAlgorithm)
            implements VerificationResult {
        public Good {
            Objects.requireNonNull(signedText);
            Objects.requireNonNull(fingerprint);
            Objects.requireNonNull(signedAt);
            Objects.requireNonNull(hashAlgorithm);
        }
    }

    /** The signature does not match the text, or cannot be valid for the key (the detail says which). */
    record BadSignature(String detail) implements VerificationResult {
    }

    /** The signature names an issuer that is not among the pinned keys (or not usable for signing there). */
    record UnknownKey(String keyIdHex) implements VerificationResult {
    }

    /** The signature uses a digest the {@link AlgorithmPolicy} refuses (MD5, SHA1, RIPEMD160, unknown). */
    record WeakHash(String algorithm) implements VerificationResult {
    }

    /** The pinned key that signed is below the {@link AlgorithmPolicy}'s minimum size. */
    record WeakKey(String fingerprint, String detail) implements VerificationResult {
    }

    /** The input is not an OpenPGP cleartext-signed message: garbage, binary, truncated, malformed. */
    record NotCleartextSigned(String detail) implements VerificationResult {
    }

    /** The input is larger than the verifier reads at all. */
    record TooLarge(long size, long limit) implements VerificationResult {
    }
}
