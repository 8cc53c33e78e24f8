package org.accomplishments.validator.overview;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a person narrows a list to: owner, share id, accomplishment (an id, or a collection for all of its
 * accomplishments), reason, state and a time range (UTC; {@code from} inclusive, {@code to} exclusive). Blank means
 * any. Values are compared exactly (reason for the issued list: contained in the revocation reason).
 */
public record ListFilter(String owner, String share, String accomplishment, String reason, String state,
                         @Nullable Instant from, @Nullable Instant to) {
    static final int MAX_VALUE = 300;

    public static ListFilter of(@Nullable String owner, @Nullable String share, @Nullable String accomplishment,
                                @Nullable String reason, @Nullable String state, @Nullable String from,
                                @Nullable String to) {
        return new ListFilter(clean(owner), clean(share), clean(accomplishment), clean(reason),
                clean(state).toLowerCase(Locale.ROOT).replace('_', '-'), time(from, false), time(to, true));
    }

    /**
     * "2026-12-03", "2026-12-03 05:00", "2026-12-03T05:00", "2026-12-03T05:00:00Z" (UTC). A day alone as the end
     * of a range means the end of that day. Anything else: {@link IllegalArgumentException} with what is accepted.
     */
    static Instant time(@Nullable String value, boolean end) {
        String v = clean(value);
        if (v.isEmpty()) {
            return null;
        }
        try {
            if (v.length() == 10) {
                LocalDate day = LocalDate.parse(v);
                return (end ? day.plusDays(1) : day).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (v.endsWith("Z")) {
                return Instant.parse(v);
            }
            return LocalDateTime.parse(v.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a time is written 2026-12-03, 2026-12-03 05:00 or 2026-12-03T05:00:00Z "
                    + "(UTC), not '" + v + "'");
        }
    }

    private static String clean(@Nullable String value) {
        if (value == null) {
            return "";
        }
        String v = value.strip();
        return v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE) : v;
    }

    public boolean any() {
        return !(owner.isEmpty() && share.isEmpty() && accomplishment.isEmpty() && reason.isEmpty() && state.isEmpty()
                && from == null && to == null);
    }

    /** A collection (no '/'): every accomplishment of it. */
    boolean collectionOnly() {
        return !accomplishment.isEmpty() && accomplishment.indexOf('/') < 0;
    }

    /** The filter as query parameters (for "Older →" and the CSV link), blank ones left out. */
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        put(p, "owner", owner);
        put(p, "share", share);
        put(p, "accomplishment", accomplishment);
        put(p, "reason", reason);
        put(p, "state", state);
        put(p, "from", from == null ? "" : from.toString());
        put(p, "to", to == null ? "" : to.toString());
        return p;
    }

    private static void put(Map<String, String> p, String key, String value) {
        if (!value.isEmpty()) {
            p.put(key, value);
        }
    }

    /** LIKE pattern for a literal prefix. */
    static String prefix(String literal) {
        return literal.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%";
    }

    static String contains(String literal) {
        return "%" + literal.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
