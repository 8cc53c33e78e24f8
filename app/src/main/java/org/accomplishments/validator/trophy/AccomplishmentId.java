package org.accomplishments.validator.trophy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code <collection>/<name>}, e.g. {@code ubuntu-community/report-first-bug}.
 *
 * <p>Ids arrive in trophies written by strangers and are later used to find files (definitions, logic
 * scripts), so both parts are restricted to a plain file-name alphabet, exactly one {@code /} separates
 * them and {@code ..} may not appear anywhere: {@code ../../etc/passwd} can never be an id.
 */
public record AccomplishmentId(String collection, String name) implements Comparable<AccomplishmentId> {

    public static final int MAX_PART_LENGTH = 128;
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");

    public AccomplishmentId {
        if (!isValidPart(collection) || !isValidPart(name)) {
            throw new IllegalArgumentException("not a valid accomplishment id: " + collection + "/" + name);
        }
    }

    /** Also the rule for collection folder names, extra-information item names and language folders. */
    public static boolean isValidPart(String part) {
        return part != null && PART.matcher(part).matches() && !part.contains("..");
    }

    public static ParseResult<AccomplishmentId> parse(String text) {
        if (text == null || text.isEmpty()) {
            return ParseResult.malformed("empty accomplishment id");
        }
        if (text.length() > 2 * MAX_PART_LENGTH + 1) {
            return ParseResult.malformed("accomplishment id longer than " + (2 * MAX_PART_LENGTH + 1) + " characters");
        }
        int slash = text.indexOf('/');
        if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
            return ParseResult.malformed("accomplishment id '" + text + "' must be <collection>/<name> with exactly one '/'");
        }
        if (text.contains("..")) {
            return ParseResult.malformed("accomplishment id '" + text + "' contains '..'");
        }
        String collection = text.substring(0, slash);
        String name = text.substring(slash + 1);
        if (!isValidPart(collection)) {
            return ParseResult.malformed("accomplishment id '" + text + "' has an invalid collection part");
        }
        if (!isValidPart(name)) {
            return ParseResult.malformed("accomplishment id '" + text + "' has an invalid name part");
        }
        return ParseResult.parsed(new AccomplishmentId(collection, name));
    }

    @Override
    public int compareTo(AccomplishmentId other) {
        int byCollection = collection.compareTo(other.collection);
        return byCollection != 0 ? byCollection : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return collection + "/" + name;
    }

    static String requireValidPart(String part, String what) {
        if (!isValidPart(part)) {
            throw new IllegalArgumentException("invalid " + what + ": " + part);
        }
        return Objects.requireNonNull(part);
    }
}
