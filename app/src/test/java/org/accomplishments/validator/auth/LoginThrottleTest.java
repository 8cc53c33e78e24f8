package org.accomplishments.validator.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {

    @Test
    void anAddressGetsItsAttemptsPerMinuteThenWaits() {
        MutableClock clock = new MutableClock();
        LoginThrottle throttle = new LoginThrottle(3, clock);

        assertTrue(throttle.tryAcquire("10.0.0.1"));
        assertTrue(throttle.tryAcquire("10.0.0.1"));
        assertTrue(throttle.tryAcquire("10.0.0.1"));
        assertFalse(throttle.tryAcquire("10.0.0.1"), "the fourth in a minute");
        assertTrue(throttle.tryAcquire("10.0.0.2"), "another address has its own minute");
        clock.now = clock.now.plus(Duration.ofSeconds(61));
        assertTrue(throttle.tryAcquire("10.0.0.1"), "a minute later");
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
