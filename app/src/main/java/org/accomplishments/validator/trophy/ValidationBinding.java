package org.accomplishments.validator.trophy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the server adds to the text it signs (the {@code [validation]} section): the share a trophy was
 * validated for, its owner, when, and the signing key. It binds a signed trophy to one share.
 *
 * <p>Share ids and owner names come from share offers, which strangers control, and they are written as
 * key-file lines: the constructor refuses control characters, line separators, surrounding whitespace, empty
 * and over-long values with {@link IllegalArgumentException}, so an owner such as
 * {@code "alice\n[trophy]\nid = x"} can never add lines to the signed text. Callers clean display names with
 * {@link #sanitise(String)} first.
 *
 * @param keyFingerprint v4 fingerprint of the signing key, 40 upper-case hex digits
 * @param validatedAt    kept to whole seconds, as written
 */
public record ValidationBinding(String shareId, String owner, Instant validatedAt, String keyFingerprint) {

    public static final String SECTION = "validation";
    public static final int MAX_VALUE_LENGTH = 256;
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-F]{40}");

    public ValidationBinding {
        requireSafeValue(shareId, "shareId");
        requireSafeValue(owner, "owner");
        validatedAt = Objects.requireNonNull(validatedAt, "validatedAt").truncatedTo(ChronoUnit.SECONDS);
        Objects.requireNonNull(keyFingerprint, "keyFingerprint");
        if (!FINGERPRINT.matcher(keyFingerprint).matches()) {
            throw new IllegalArgumentException("keyFingerprint must be 40 upper-case hex digits");
        }
    }

    /**
     * Turns an untrusted display name into a value the constructor accepts: line breaks and control
     * characters become spaces, whitespace runs collapse, the ends are trimmed and the length is capped.
     * An empty result becomes {@code "unknown"}.
     */
    public static String sanitise(String untrusted) {
        String clean = OneLine.of(untrusted == null ? "" : untrusted, MAX_VALUE_LENGTH);
        return clean.isEmpty() ? "unknown" : clean;
    }

    private static void requireSafeValue(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_VALUE_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (OneLine.isBreaking(value.charAt(i))) {
                throw new IllegalArgumentException(what + " contains a control character or line break");
            }
        }
        if (isBlank(value.charAt(0)) || isBlank(value.charAt(value.length() - 1))) {
            throw new IllegalArgumentException(what + " has leading or trailing whitespace");
        }
    }

    private static boolean isBlank(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
