package org.accomplishments.validator.auth;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.accomplishments.validator.audit.AuditLog;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Local accounts: create, log in, change password, change access. Every change is audited. */
@Singleton
public class Accounts {
    /** Names appear in URLs, logs and the [trophy] issued-by line: keep them to a plain alphabet. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    public static final int MIN_PASSWORD_LENGTH = 12;
    public static final int MAX_PASSWORD_LENGTH = 1024;

    private final UserRepository users;
    private final Sessions sessions;
    private final ApiTokens tokens;
    private final AuditLog audit;
    private final AuthSettings settings;
    private final Clock clock;
    private final LoginThrottle throttle;

    public Accounts(UserRepository users, Sessions sessions, ApiTokens tokens, AuditLog audit, AuthSettings settings,
                    Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
        this.throttle = new LoginThrottle(Math.max(1, settings.getLoginAttemptsPerMinute()), clock);
    }

    /** A problem with a requested change, in words for the form; empty when it is fine. */
    public static Optional<String> checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            return Optional.of("the password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > MAX_PASSWORD_LENGTH) {
            return Optional.of("the password must have at most " + MAX_PASSWORD_LENGTH + " characters");
        }
        return Optional.empty();
    }

    public List<UserRow> all() {
        return users.findAllOrderByName();
    }

    public Optional<UserRow> find(String name) {
        return name == null ? Optional.empty() : users.findById(name);
    }

    public boolean anyAdmin() {
        return users.countByRoleAndDisabled(Role.ADMIN.name(), false) > 0;
    }

    /** Creates an account; the reason it was refused otherwise. */
    @Transactional
    public Optional<String> create(String actor, String name, String password, Role role, IssuerScope scope,
                                   String remote) {
        return createWithHash(actor, name, password == null ? null : PasswordHasher.hash(password),
                checkPassword(password), role, scope, remote);
    }

    @Transactional
    public Optional<String> createWithHash(String actor, String name, String hash, Optional<String> passwordProblem,
                                           Role role, IssuerScope scope, String remote) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.of("a user name is 1 to 64 characters: a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
        if (passwordProblem.isPresent()) {
            return passwordProblem;
        }
        if (!scope.malformed().isEmpty()) {
            return Optional.of("not a collection name or accomplishment id: " + String.join(", ", scope.malformed()));
        }
        if (users.existsById(name)) {
            return Optional.of("a user named " + name + " exists already");
        }
        Instant now = clock.instant();
        users.save(new UserRow(name, hash, role.name(), scope.stored(), false, 0, null, now, now));
        audit.record(actor, "user-created", name, "role " + role.wireName()
                + (scope.entries().isEmpty() ? "" : ", scope " + scope.display()), remote);
        return Optional.empty();
    }

    /**
     * Checks a name and password. Unknown names cost the same Argon2id work as known ones, so timing does not tell
     * which names exist; a locked account is not even checked (its lockout is not extended by further guesses).
     */
    public LoginOutcome login(String name, String password, String remote) {
        if (!throttle.tryAcquire(remote == null ? "?" : remote)) {
            audit.record(name == null ? "?" : name, "login-throttled", name, "too many attempts from this address", remote);
            return new LoginOutcome.Throttled();
        }
        String pw = password == null ? "" : password;
        if (pw.length() > MAX_PASSWORD_LENGTH) {
            pw = pw.substring(0, MAX_PASSWORD_LENGTH + 1); // still wrong, but bounded work
        }
        Optional<UserRow> found = find(name);
        Instant now = clock.instant();
        if (found.isEmpty() || found.get().disabled()) {
            PasswordHasher.burn(pw);
            audit.record(safeActor(name), "login-failed", name, found.isEmpty() ? "no such user" : "account disabled", remote);
            return new LoginOutcome.WrongCredentials();
        }
        UserRow user = found.get();
        if (user.lockedUntil() != null && user.lockedUntil().isAfter(now)) {
            audit.record(user.name(), "login-refused", user.name(), "account locked until " + user.lockedUntil(), remote);
            return new LoginOutcome.Locked(user.lockedUntil());
        }
        if (!PasswordHasher.verify(pw, user.passwordHash())) {
            int failures = user.failedLogins() + 1;
            Instant lockedUntil = failures >= settings.getLoginMaxFailures() ? now.plus(settings.getLoginLockout()) : null;
            users.recordFailure(user.name(), lockedUntil != null ? 0 : failures, lockedUntil);
            audit.record(user.name(), "login-failed", user.name(), "wrong password (" + failures + " in a row)"
                    + (lockedUntil != null ? "; locked until " + lockedUntil : ""), remote);
            return lockedUntil != null ? new LoginOutcome.Locked(lockedUntil) : new LoginOutcome.WrongCredentials();
        }
        users.recordSuccess(user.name());
        sessions.purgeExpired(); // housekeeping where sessions are made: ended ones never pile up
        Sessions.Created session = sessions.create(user);
        audit.record(user.name(), "login", user.name(), "session started", remote);
        return new LoginOutcome.LoggedIn(session.cookieValue(), session.principal());
    }

    /** Changes one's own password after checking the current one; ends every other session of the account. */
    @Transactional
    public Optional<String> changeOwnPassword(Principal who, String current, String next, String remote) {
        UserRow user = find(who.name()).orElseThrow();
        if (!PasswordHasher.verify(current == null ? "" : current, user.passwordHash())) {
            audit.record(who.name(), "password-change-failed", who.name(), "the current password was wrong", remote);
            return Optional.of("the current password is wrong");
        }
        Optional<String> problem = checkPassword(next);
        if (problem.isPresent()) {
            return problem;
        }
        users.changePassword(user.name(), PasswordHasher.hash(next), clock.instant());
        if (who.sessionHash() != null) {
            sessions.endOthers(user.name(), who.sessionHash());
        }
        audit.record(who.name(), "password-changed", who.name(), "other sessions ended", remote);
        return Optional.empty();
    }

    /** An admin sets someone's password (e.g. a forgotten one): all their sessions end. */
    @Transactional
    public Optional<String> resetPassword(String actor, String name, String next, String remote) {
        Optional<String> problem = checkPassword(next);
        if (problem.isPresent()) {
            return problem;
        }
        if (find(name).isEmpty()) {
            return Optional.of("no user " + name);
        }
        users.changePassword(name, PasswordHasher.hash(next), clock.instant());
        sessions.endAll(name);
        audit.record(actor, "password-reset", name, "all sessions ended", remote);
        return Optional.empty();
    }

    /** Changes role, scope or the disabled flag. Never leaves the appliance without an enabled admin. */
    @Transactional
    public Optional<String> changeAccess(String actor, String name, Role role, IssuerScope scope, boolean disabled,
                                         String remote) {
        Optional<UserRow> found = find(name);
        if (found.isEmpty()) {
            return Optional.of("no user " + name);
        }
        if (!scope.malformed().isEmpty()) {
            return Optional.of("not a collection name or accomplishment id: " + String.join(", ", scope.malformed()));
        }
        UserRow user = found.get();
        boolean wasActiveAdmin = user.userRole() == Role.ADMIN && !user.disabled();
        boolean staysActiveAdmin = role == Role.ADMIN && !disabled;
        if (wasActiveAdmin && !staysActiveAdmin && users.countByRoleAndDisabled(Role.ADMIN.name(), false) <= 1) {
            return Optional.of("this is the last enabled admin; make another admin first");
        }
        users.changeAccess(name, role.name(), scope.stored(), disabled);
        if (disabled || role != user.userRole()) {
            sessions.endAll(name); // a demoted or disabled account logs in again with what it has now
        }
        if (disabled) {
            tokens.revokeAllOf(name);
        }
        audit.record(actor, "user-changed", name, "role " + role.wireName() + ", scope " + scope.display()
                + (disabled ? ", disabled" : ", enabled"), remote);
        return Optional.empty();
    }

    public void unlock(String actor, String name, String remote) {
        users.lock(name, null);
        users.recordSuccess(name);
        audit.record(actor, "user-unlocked", name, null, remote);
    }

    private static String safeActor(String name) {
        return name == null || name.isBlank() ? "?" : name;
    }
}
