package org.accomplishments.validator.auth;

import jakarta.inject.Singleton;
import org.accomplishments.validator.audit.AuditLog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * API tokens for scripts: {@code av_<43 random characters>}, shown once at creation, stored as SHA-256. A token
 * acts as its owner, limited to its scopes, and stops working when revoked or when its owner is disabled.
 */
@Singleton
public class ApiTokens {
    public static final String PREFIX = "av_";
    private static final Duration MARK_USED_EVERY = Duration.ofMinutes(1);

    private final ApiTokenRepository tokens;
    private final UserRepository users;
    private final AuditLog audit;
    private final Clock clock;

    public ApiTokens(ApiTokenRepository tokens, UserRepository users, AuditLog audit, Clock clock) {
        this.tokens = tokens;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    public record Created(String token, ApiTokenRow row) {
    }

    public Created create(Principal owner, String label, TokenScopes scopes, String remote) {
        String token = PREFIX + Secrets.random();
        String clean = label == null || label.isBlank() ? "token" : org.accomplishments.validator.trophy.OneLine.of(label, 200);
        ApiTokenRow row = tokens.save(new ApiTokenRow(null, Secrets.sha256(token), token.substring(0, 9),
                owner.name(), clean, scopes.stored(), clock.instant(), null, null));
        audit.record(owner.name(), "token-created", "token " + row.id(), clean + " (" + scopes.display() + ")", remote);
        return new Created(token, row);
    }

    public Optional<Principal> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        Optional<ApiTokenRow> row = tokens.findByTokenHash(Secrets.sha256(token)).filter(r -> r.revokedAt() == null);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Optional<UserRow> user = users.findById(row.get().userName()).filter(u -> !u.disabled());
        if (user.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (row.get().lastUsedAt() == null || row.get().lastUsedAt().plus(MARK_USED_EVERY).isBefore(now)) {
            tokens.used(row.get().id(), now);
        }
        return Optional.of(new Principal(user.get().name(), user.get().userRole(), user.get().issuerScope(),
                Principal.Via.API_TOKEN, row.get().tokenScopes(), null, null));
    }

    public List<ApiTokenRow> of(String userName) {
        return tokens.findByUserNameOrderById(userName);
    }

    public List<ApiTokenRow> all() {
        return tokens.findAllOrderById();
    }

    /** Revokes a token of one's own (or anyone's, for an admin); whether it was revoked now. */
    public boolean revoke(Principal who, long id, String remote) {
        Optional<ApiTokenRow> row = tokens.findById(id);
        if (row.isEmpty() || (!who.isAdmin() && !row.get().userName().equals(who.name()))) {
            return false;
        }
        boolean revoked = tokens.revoke(id, clock.instant()) == 1;
        if (revoked) {
            audit.record(who.name(), "token-revoked", "token " + id, row.get().label() + " of " + row.get().userName(),
                    remote);
        }
        return revoked;
    }

    void revokeAllOf(String userName) {
        tokens.revokeAllOf(userName, clock.instant());
    }
}
