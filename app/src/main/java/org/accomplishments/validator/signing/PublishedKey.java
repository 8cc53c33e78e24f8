package org.accomplishments.validator.signing;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A validation key as the world may see it: what verifiers pin, and which key signs today.
 *
 * @param fingerprint     v4 fingerprint, 40 upper-case hex digits
 * @param algorithm       the key's algorithm
 * @param created         the key's creation time (from the key packet)
 * @param status          ACTIVE for the one key that signs now, RETIRED for earlier ones kept for verification
 * @param retiredAt       when it stopped signing; empty while active
 * @param armoredPublicKey the transferable public key, ASCII-armored
 */
public record PublishedKey(String fingerprint, KeyAlgorithm algorithm, Instant created, KeyStatus status,
                           Optional<Instant> retiredAt, String armoredPublicKey) {
    public PublishedKey {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(retiredAt, "retiredAt");
        Objects.requireNonNull(armoredPublicKey, "armoredPublicKey");
    }
}
