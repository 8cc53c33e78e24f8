package org.accomplishments.validator.share;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/** {@code validator.shares.offers.*}: how long an offer round waits for answers, and how offers are retried. */
@ConfigurationProperties("validator.shares.offers")
public interface OfferSettings {
    /**
     * A round waits at most this long for the backend's answers to the accepts it sent; answers that come later
     * are recorded (and their shares scanned) as they arrive, without holding the next round.
     */
    @Bindable(defaultValue = "2s")
    Duration getRoundWait();

    /** At most this many accepts wait for the backend's answers at once; the others are sent as answers come. */
    @Bindable(defaultValue = "16")
    int getMaxInFlight();

    /** An offer the backend did not take (no answer, an error, a No) is asked again after this delay... */
    @Bindable(defaultValue = "1m")
    Duration getRetryInitialDelay();

    /** ...doubling with each consecutive failure, up to this. */
    @Bindable(defaultValue = "1h")
    Duration getRetryMaxDelay();
}
