package org.accomplishments.validator.share;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** {@code validator.shares.*}: which backend, how often to look, how much to trust. Defaults in application.yml. */
@ConfigurationProperties("validator.shares")
public interface ShareSettings {
    String getBackend();

    Duration getOfferInterval();

    Duration getRescanInterval();

    boolean isEvents();

    Duration getDebounce();

    long getMaxTrophyBytes();
}
