package org.accomplishments.validator.trophy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The server's verdict that a trophy is refused, written next to it as {@code <name>.trophy.rejected}
 * (formats.md section 2, added). The user reads it, so the detail explains; it is also read back by the
 * server to know which bytes the verdict was about ({@code trophy-sha256}).
 *
 * <p>Values are made safe on construction: the detail often quotes hostile input, so it is forced onto one
 * line (control characters replaced, whitespace collapsed) and capped at {@value #MAX_DETAIL_LENGTH}
 * characters, which keeps a crafted value from adding keys or sections to the file.
 *
 * @param id           the accomplishment id, or one derived from the path when the file could not be parsed
 * @param trophySha256 lower-case hex SHA-256 of the trophy bytes, or empty when no bytes could be read
 *                     (e.g. {@link RejectionReason#NOT_A_REGULAR_FILE})
 * @param at           when the verdict was reached, kept to whole seconds
 */
public record TrophyRejection(String id, RejectionReason reason, String detail, Instant at, String trophySha256) {

    public static final String SECTION = "rejection";
    public static final int MAX_DETAIL_LENGTH = 1000;
    public static final int MAX_ID_LENGTH = 300;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public TrophyRejection {
        id = OneLine.of(Objects.requireNonNull(id, "id"), MAX_ID_LENGTH);
        Objects.requireNonNull(reason, "reason");
        detail = OneLine.of(Objects.requireNonNull(detail, "detail"), MAX_DETAIL_LENGTH);
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.SECONDS);
        Objects.requireNonNull(trophySha256, "trophySha256");
        if (!trophySha256.isEmpty() && !SHA256.matcher(trophySha256).matches()) {
            throw new IllegalArgumentException("trophySha256 must be 64 lower-case hex digits or empty");
        }
    }

    /** The lower-case hex SHA-256 of trophy bytes, as {@code trophy-sha256} expects. */
    public static String sha256Hex(byte[] trophyBytes) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(trophyBytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The file text, {@code [rejection]} and five keys, ending with a line ending. */
    public String toFileText() {
        return "[" + SECTION + "]\n"
                + "id = " + id + "\n"
                + "reason = " + reason.wireName() + "\n"
                + "detail = " + detail + "\n"
                + "at = " + at + "\n"
                + "trophy-sha256 = " + trophySha256 + "\n";
    }

    public static ParseResult<TrophyRejection> parse(String text) {
        return KeyFile.parse(text).flatMap(file -> {
            var found = file.section(SECTION);
            if (found.isEmpty()) {
                return ParseResult.malformed("no [" + SECTION + "] section");
            }
            var section = found.get();
            for (String key : new String[] {"id", "reason", "detail", "at", "trophy-sha256"}) {
                if (!section.has(key)) {
                    return ParseResult.malformed("[" + SECTION + "] has no " + key);
                }
            }
            String reasonText = section.get("reason").orElseThrow();
            var reason = RejectionReason.fromWireName(reasonText);
            if (reason.isEmpty()) {
                return ParseResult.malformed("unknown reason '" + KeyFile.abbreviate(reasonText) + "'");
            }
            Instant at;
            try {
                at = Instant.parse(section.get("at").orElseThrow());
            } catch (DateTimeParseException e) {
                return ParseResult.malformed("at is not an ISO-8601 UTC instant");
            }
            String sha = section.get("trophy-sha256").orElseThrow();
            if (!sha.isEmpty() && !SHA256.matcher(sha).matches()) {
                return ParseResult.malformed("trophy-sha256 is not 64 lower-case hex digits");
            }
            return ParseResult.parsed(new TrophyRejection(section.get("id").orElseThrow(), reason.get(),
                    section.get("detail").orElseThrow(), at, sha));
        });
    }
}
