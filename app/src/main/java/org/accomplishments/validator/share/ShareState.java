package org.accomplishments.validator.share;

public enum ShareState {
    /** Seen, no decision yet (or the backend has not answered our accept). */
    OFFERED,
    /** Accepted: its trophies are validated. */
    ACCEPTED,
    /** Refused by the acceptance policy or by the backend; its files are left alone. */
    REFUSED,
    /** Accepted once, but it grew past the per-share file or byte limit; scanning stopped. */
    OVER_LIMIT,
    /** No longer offered by the backend. */
    GONE
}
