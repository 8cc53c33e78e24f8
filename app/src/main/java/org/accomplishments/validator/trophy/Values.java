package org.accomplishments.validator.trophy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Shared readings of key-file values: comma lists and the booleans ConfigParser accepts. */
final class Values {

    private Values() {
    }

    /** Splits a comma list, trimming items and dropping empty ones ({@code "a, b,"} is {@code [a, b]}). */
    static List<String> commaList(String value) {
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        for (String item : value.split(",", -1)) {
            String trimmed = item.strip();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
        return items;
    }

    /**
     * Reads a flag the way ConfigParser.getboolean does (case-insensitive {@code true/yes/1/on} and
     * {@code false/no/0/off}); a missing key is false. Anything else is refused rather than guessed.
     */
    static ParseResult<Boolean> flag(Optional<String> value, String key) {
        if (value.isEmpty()) {
            return ParseResult.parsed(false);
        }
        switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on":
                return ParseResult.parsed(true);
            case "false", "no", "0", "off":
                return ParseResult.parsed(false);
            default:
                return ParseResult.malformed(key + " must be true or false, not '" + KeyFile.abbreviate(value.get()) + "'");
        }
    }

    /** Comma list of item names (extra information); each must be a safe file name. */
    static ParseResult<List<String>> itemNames(Optional<String> value, String key) {
        List<String> items = commaList(value.orElse(""));
        for (String item : items) {
            if (!AccomplishmentId.isValidPart(item)) {
                return ParseResult.malformed(key + " names an invalid item '" + KeyFile.abbreviate(item) + "'");
            }
        }
        return ParseResult.parsed(List.copyOf(items));
    }
}
