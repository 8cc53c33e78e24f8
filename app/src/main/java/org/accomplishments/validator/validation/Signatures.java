package org.accomplishments.validator.validation;

import java.util.Optional;

/** What the pipeline needs of the signer: sign with the active key, and recognise our own earlier signatures. */
public interface Signatures {

    record Signed(String armored, String fingerprint) {
    }

    /**
     * Signs with the active key the text built for that key's fingerprint, so a rotation in between can never make
     * the {@code key =} line of the text and the signature disagree.
     */
    Signed sign(java.util.function.Function<String, String> textForKey);

    /** The signed text, when {@code armored} is a good cleartext signature by one of our keys (active or retired). */
    Optional<String> verifiedText(String armored);
}
