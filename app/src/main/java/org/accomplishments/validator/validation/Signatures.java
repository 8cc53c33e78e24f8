package org.accomplishments.validator.validation;

import java.util.Optional;

/** What the pipeline needs of the signer: sign with the active key, and recognise our own earlier signatures. */
public interface Signatures {

    record Signed(String armored, String fingerprint) {
    }

    String activeFingerprint();

    Signed sign(String text);

    /** The signed text, when {@code armored} is a good cleartext signature by one of our keys (active or retired). */
    Optional<String> verifiedText(String armored);
}
