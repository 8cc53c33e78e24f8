package org.accomplishments.validator.auth;

import java.time.Instant;

/** How a login attempt ended. The page says the same "wrong name or password" for unknown names and bad passwords. */
public sealed interface LoginOutcome {

    /** Logged in; {@code cookieValue} is the new session's secret, sent once in the Set-Cookie header. */
    record LoggedIn(String cookieValue, Principal principal) implements LoginOutcome {
    }

    record WrongCredentials() implements LoginOutcome {
    }

    /** Too many wrong passwords for this account; tries again after {@code until}. */
    record Locked(Instant until) implements LoginOutcome {
    }

    /** Too many attempts from this address in the last minute. */
    record Throttled() implements LoginOutcome {
    }
}
