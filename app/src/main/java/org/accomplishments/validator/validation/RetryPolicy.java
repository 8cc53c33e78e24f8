package org.accomplishments.validator.validation;

import java.time.Duration;
import java.util.Optional;

/**
 * Exponential backoff with caps, so a script that answers "not yet" is not re-run every minute forever (as the
 * 2012 server did) and an external service it asks is not hammered.
 */
public record RetryPolicy(Duration initialDelay, double multiplier, Duration maxDelay, int maxAttempts) {

    public RetryPolicy {
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || multiplier < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("invalid retry policy: initial-delay " + initialDelay
                    + ", multiplier " + multiplier + ", max-delay " + maxDelay + ", max-attempts " + maxAttempts);
        }
    }

    /**
     * The delay before the next attempt after {@code failures} failed ones, or empty when they are used up.
     */
    public Optional<Duration> delayAfter(int failures) {
        if (failures >= maxAttempts) {
            return Optional.empty();
        }
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failures - 1));
        return Optional.of(millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis));
    }
}
