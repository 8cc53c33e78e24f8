package org.accomplishments.validator.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What a person may do. An admin can do everything; an issuer and a store curator can each also view, and
 * neither can do what the other does.
 */
public enum Role {
    /** Sees the dashboard, trophies, shares and the read API. */
    VIEWER,
    /** Also awards and revokes human-issued trophies, limited to the collections or accomplishments of their scope. */
    ISSUER,
    /** Also manages users, tokens of everyone, the audit log, keys and settings; may award anything. */
    ADMIN,
    /** Also submits collections to this appliance's collection store (docs/collections.md); nothing else. */
    STORE;

    public boolean includes(Role other) {
        return this == other || this == ADMIN || other == VIEWER;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.wireName().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
