package org.accomplishments.validator.auth;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Browser sessions in the database (so they hold across nodes and end at logout everywhere). A session ends after
 * {@code validator.web.session-idle-timeout} without a request, after {@code session-max-age} in any case, at
 * logout, when its password changes elsewhere, and when the account is disabled or its role changes.
 */
@Singleton
public class Sessions {
    /** Touching the row on every request would be a write per page view: once a minute is precise enough. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final SessionRepository sessions;
    private final UserRepository users;
    private final AuthSettings settings;
    private final Clock clock;

    public Sessions(SessionRepository sessions, UserRepository users, AuthSettings settings, Clock clock) {
        this.sessions = sessions;
        this.users = users;
        this.settings = settings;
        this.clock = clock;
    }

    public record Created(String cookieValue, Principal principal) {
    }

    Created create(UserRow user) {
        String cookie = Secrets.random();
        String hash = Secrets.sha256(cookie);
        Instant now = clock.instant();
        SessionRow row = sessions.save(new SessionRow(hash, user.name(), Secrets.random(), now, now,
                now.plus(settings.getSessionMaxAge())));
        return new Created(cookie, principal(user, row));
    }

    /** The session a cookie names, when it is still valid and its account enabled. */
    public Optional<Principal> find(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 100) {
            return Optional.empty();
        }
        String hash = Secrets.sha256(cookieValue);
        Optional<SessionRow> row = sessions.findById(hash);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        SessionRow s = row.get();
        if (!s.expiresAt().isAfter(now) || !s.lastSeenAt().plus(settings.getSessionIdleTimeout()).isAfter(now)) {
            sessions.deleteById(hash);
            return Optional.empty();
        }
        Optional<UserRow> user = users.findById(s.userName()).filter(u -> !u.disabled());
        if (user.isEmpty()) {
            sessions.deleteById(hash);
            return Optional.empty();
        }
        if (s.lastSeenAt().plus(TOUCH_EVERY).isBefore(now)) {
            sessions.touch(hash, now);
        }
        return Optional.of(principal(user.get(), s));
    }

    public void end(Principal principal) {
        if (principal.sessionHash() != null) {
            sessions.deleteById(principal.sessionHash());
        }
    }

    void endAll(String userName) {
        sessions.deleteAllOf(userName);
    }

    void endOthers(String userName, String keepHash) {
        sessions.deleteOthersOf(userName, keepHash);
    }

    /** Housekeeping: removes ended sessions. */
    public long purgeExpired() {
        Instant now = clock.instant();
        return sessions.deleteExpired(now, now.minus(settings.getSessionIdleTimeout()));
    }

    private static Principal principal(UserRow user, SessionRow session) {
        return new Principal(user.name(), user.userRole(), user.issuerScope(), Principal.Via.SESSION,
                new TokenScopes(java.util.Set.of()), session.idHash(), session.csrf());
    }
}
