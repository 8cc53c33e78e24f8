package org.accomplishments.validator.auth;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.accomplishments.validator.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The first administrator, never with a default password: from {@code validator.web.admin-password-hash} (an
 * Argon2id hash, e.g. written by cloud-init) when no admin exists yet; otherwise a one-time setup token, printed to
 * the log at start, that {@code /setup} exchanges for the first admin account. The token lives in memory only: a
 * restart prints a new one, and it is void once an admin exists.
 */
@Singleton
public class FirstAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(FirstAdmin.class);

    private final Accounts accounts;
    private final AuthSettings settings;
    private final AuditLog audit;
    private volatile String setupTokenHash;

    public FirstAdmin(Accounts accounts, AuthSettings settings, AuditLog audit) {
        this.accounts = accounts;
        this.settings = settings;
        this.audit = audit;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        ensure();
    }

    /** Creates the configured admin, or prints a setup token, when the appliance has no enabled admin. */
    public synchronized void ensure() {
        if (accounts.anyAdmin()) {
            setupTokenHash = null;
            return;
        }
        String hash = settings.getAdminPasswordHash() == null ? "" : settings.getAdminPasswordHash().strip();
        if (!hash.isEmpty()) {
            if (!PasswordHasher.isHash(hash)) {
                throw new IllegalStateException("validator.web.admin-password-hash is not an Argon2id PHC string "
                        + "($argon2id$v=19$m=...,t=...,p=...$salt$hash)");
            }
            Optional<String> refused = accounts.createWithHash("config", settings.getAdminName(), hash,
                    Optional.empty(), Role.ADMIN, IssuerScope.parse(""), "local");
            if (refused.isPresent()) {
                throw new IllegalStateException("cannot create the admin of validator.web.admin-name: " + refused.get());
            }
            LOG.info("created the administrator '{}' from validator.web.admin-password-hash", settings.getAdminName());
            return;
        }
        String token = Secrets.random();
        setupTokenHash = Secrets.sha256(token);
        LOG.warn("No administrator yet. Open /setup in a browser on this machine and enter this one-time setup "
                + "token: {}  (it is void once an admin exists; a restart prints a new one)", token);
    }

    public boolean setupOpen() {
        return setupTokenHash != null;
    }

    /** Exchanges the setup token for the first admin account; the reason when refused. */
    public synchronized Optional<String> setUp(String token, String name, String password, String remote) {
        if (setupTokenHash == null || token == null || !Secrets.equal(Secrets.sha256(token.strip()), setupTokenHash)) {
            audit.record(name == null ? "?" : name, "setup-refused", name, "wrong or used setup token", remote);
            return Optional.of("the setup token is wrong or was used already");
        }
        Optional<String> refused = accounts.create("setup", name, password, Role.ADMIN, IssuerScope.parse(""), remote);
        if (refused.isEmpty()) {
            setupTokenHash = null;
        }
        return refused;
    }
}
