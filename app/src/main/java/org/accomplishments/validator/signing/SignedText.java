package org.accomplishments.validator.signing;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed trophy.
 *
 * @param armored     the complete cleartext-signed message, {@code \n} line endings: the {@code .trophy.asc}
 * @param fingerprint fingerprint of the key that signed (40 upper-case hex digits)
 * @param signedAt    the signature creation time (whole seconds)
 * @param hash        the digest used
 * @param signedText  the text as verifiers read it back (normalised as described in {@link TrophySigner#sign})
 */
public record SignedText(String armored, String fingerprint, Instant signedAt, SignatureHash hash,
                         String signedText) {
    public SignedText {
        Objects.requireNonNull(armored, "armored");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(signedAt, "signedAt");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(signedText, "signedText");
    }
}
