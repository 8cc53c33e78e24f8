package org.accomplishments.validator.config;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import org.accomplishments.validator.share.AcceptancePolicy;
import org.accomplishments.validator.share.AcceptancePolicySettings;

import java.time.Clock;

/** Beans for the plain-Java parts that know nothing of Micronaut. */
@Factory
public class CoreFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    AcceptancePolicy acceptancePolicy(AcceptancePolicySettings settings) {
        return new AcceptancePolicy(settings);
    }
}
