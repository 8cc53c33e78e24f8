package org.accomplishments.validator.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What a person may do. Each role includes the one below it: an admin can issue and view, an issuer can view.
 */
public enum Role {
    /** Sees the dashboard, trophies, shares and the read API. */
    VIEWER,
    /** Also awards and revokes human-issued trophies, limited to the collections or accomplishments of their scope. */
    ISSUER,
    /** Also manages users, tokens of everyone, the audit log, keys and settings; may award anything. */
    ADMIN;

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
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
