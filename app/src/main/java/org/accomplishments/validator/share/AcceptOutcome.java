package org.accomplishments.validator.share;

/** How the backend answered an accept request. */
public sealed interface AcceptOutcome {
    record Accepted() implements AcceptOutcome {
    }

    /**
     * The backend refused or failed (D-Bus: answer {@code No}, an error, no answer in time).
     *
     * @param retryable whether a later round should try again (no answer yet) rather than record a refusal
     */
    record Failed(String reason, boolean retryable) implements AcceptOutcome {
    }

    static AcceptOutcome accepted() {
        return new Accepted();
    }
}
