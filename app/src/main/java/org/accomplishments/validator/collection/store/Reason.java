package org.accomplishments.validator.collection.store;

import java.util.Objects;

/**
 * Why the store refused a submission or an appliance refused to install: a stable {@code reason} code (what scripts
 * and tests match, listed in docs/collections.md) and a {@code detail} for people.
 */
public record Reason(String reason, String detail) {
    public Reason {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return reason + ": " + detail;
    }
}
