package org.accomplishments.validator.trophy;

import java.util.Optional;

/**
 * Why the server refused a trophy: the fixed list written as {@code reason} into a
 * {@code .trophy.rejected} file and shown by the API. Wire names never change once published.
 */
public enum RejectionReason {
    MALFORMED("malformed",
            "The trophy file is not a valid key file with a [trophy] section, or a required key is missing or invalid."),
    INVALID_ENCODING("invalid-encoding",
            "The trophy file is not valid UTF-8 text (or contains NUL bytes)."),
    UNKNOWN_ACCOMPLISHMENT("unknown-accomplishment",
            "No installed collection defines the accomplishment the trophy names."),
    NOT_GLOBAL("not-global",
            "The accomplishment is local (needs-signing is not true), so the server does not sign its trophies."),
    ID_PATH_MISMATCH("id-path-mismatch",
            "The id inside the trophy does not match the <collection>/<name>.trophy path of the file."),
    MISSING_INFORMATION("missing-information",
            "The trophy lacks a value for an extra-information item the accomplishment needs."),
    INFORMATION_MISMATCH("information-mismatch",
            "The trophy's needs-information list or values differ from what the accomplishment and the share hold."),
    INVALID_INFORMATION("invalid-information",
            "An extra-information value does not match the pattern its descriptor requires."),
    DEPENDENCIES_UNMET("dependencies-unmet",
            "An accomplishment this one depends on has not been accomplished and signed in the same share."),
    NO_LOGIC_SCRIPT("no-logic-script",
            "The accomplishment has no executable logic script on the server, so it cannot be checked."),
    NOT_ACCOMPLISHED("not-accomplished",
            "The logic script kept answering that the accomplishment has not been accomplished."),
    SCRIPT_ERROR("script-error",
            "The logic script kept failing (error exit, signal or time limit) and the server gave up."),
    TOO_LARGE("too-large",
            "The trophy file exceeds the size, line-count or line-length limit."),
    NOT_A_REGULAR_FILE("not-a-regular-file",
            "The trophy path is a directory, symbolic link, device or other non-regular file.");

    private final String wireName;
    private final String description;

    RejectionReason(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    public String wireName() {
        return wireName;
    }

    /** One sentence for documentation and the API. */
    public String description() {
        return description;
    }

    public static Optional<RejectionReason> fromWireName(String wireName) {
        for (RejectionReason reason : values()) {
            if (reason.wireName.equals(wireName)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
