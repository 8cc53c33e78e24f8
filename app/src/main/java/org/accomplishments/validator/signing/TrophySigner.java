package org.accomplishments.validator.signing;

/**
 * Signs the text of a trophy. Implementations are thread-safe and fast (no I/O, key already unlocked).
 */
public interface TrophySigner {

    /**
     * Signs {@code text} (normally ending in {@code \n}) and returns the {@code .trophy.asc} content.
     * Line endings are normalised to {@code \n} and trailing spaces/tabs of each line are removed before
     * signing; {@link SignedText#signedText()} is the text exactly as a verifier will read it back.
     */
    SignedText sign(String text);
}
