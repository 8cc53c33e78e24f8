package org.accomplishments.validator.trophy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An extra-information descriptor, {@code accomplishments/<collection>/extrainformation/<item>}: what a
 * value such as {@code launchpad-email} is, per language, and optionally a regular expression the value
 * must match ({@code [regex] value = ...}).
 */
public record ExtraInformationItem(
        String name,
        Map<String, String> labels,
        Map<String, String> descriptions,
        Map<String, String> examples,
        Optional<Pattern> regex) {

    /** Longer values never match: the pattern comes from the admin, the value from a stranger. */
    public static final int MAX_MATCHED_LENGTH = 4096;

    public ExtraInformationItem {
        AccomplishmentId.requireValidPart(name, "item name");
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        descriptions = Collections.unmodifiableMap(new LinkedHashMap<>(descriptions));
        examples = Collections.unmodifiableMap(new LinkedHashMap<>(examples));
        Objects.requireNonNull(regex, "regex");
    }

    /**
     * The label for a locale such as {@code pt_BR}: the full locale, then the language, then {@code en}.
     * Language keys are stored lower-case (key-file keys are case-insensitive), so {@code en_GB} is
     * {@code en_gb} in {@link #labels()}.
     */
    public Optional<String> label(String locale) {
        return localised(labels, locale);
    }

    /** The description for a locale, with the same fallback as {@link #label(String)}. */
    public Optional<String> description(String locale) {
        return localised(descriptions, locale);
    }

    private static Optional<String> localised(Map<String, String> byLanguage, String locale) {
        String full = locale == null ? "" : locale.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        int cut = full.indexOf('.');
        if (cut >= 0) {
            full = full.substring(0, cut);
        }
        String language = full.contains("_") ? full.substring(0, full.indexOf('_')) : full;
        for (String candidate : new String[] {full, language, "en"}) {
            if (byLanguage.containsKey(candidate)) {
                return Optional.of(byLanguage.get(candidate));
            }
        }
        return byLanguage.values().stream().findFirst();
    }

    /**
     * Whether a user's value is acceptable. The original client checked with Python's {@code re.match},
     * which anchors at the start of the value but not at its end, so this uses {@code lookingAt()}, not
     * {@code matches()}: the real descriptor {@code ^(https?://)?askubuntu.com/users/\d+/.*} relies on
     * that, and a descriptor that wants the whole value must end with {@code $} as it did in 2012.
     * An item without a regex accepts any value.
     */
    public boolean matches(String value) {
        if (value == null || value.length() > MAX_MATCHED_LENGTH) {
            return false;
        }
        return regex.map(pattern -> pattern.matcher(value).lookingAt()).orElse(true);
    }

    /**
     * Reads a descriptor. {@code [label]} and {@code [description]} are required; {@code [example]} and
     * {@code [regex]} optional; other sections are ignored. Python's named-group syntax
     * ({@code (?P<name>...)}, {@code (?P=name)}) is translated to Java's; a pattern Java cannot compile is
     * malformed. Parses with {@link KeyFile.Duplicates#LAST_WINS}, as the 2012 server read collection files.
     */
    public static ParseResult<ExtraInformationItem> parse(String itemName, String text) {
        if (!AccomplishmentId.isValidPart(itemName)) {
            return ParseResult.malformed("invalid item name '" + KeyFile.abbreviate(String.valueOf(itemName)) + "'");
        }
        return KeyFile.parse(text, KeyFile.Duplicates.LAST_WINS).flatMap(file -> read(itemName, file));
    }

    /** Reads a descriptor from an already parsed key file (whatever its duplicate mode). */
    public static ParseResult<ExtraInformationItem> read(String itemName, KeyFile file) {
        if (!AccomplishmentId.isValidPart(itemName)) {
            return ParseResult.malformed("invalid item name '" + KeyFile.abbreviate(String.valueOf(itemName)) + "'");
        }
        Optional<KeyFile.Section> label = file.section("label");
        if (label.isEmpty()) {
            return ParseResult.malformed("no [label] section");
        }
        Optional<KeyFile.Section> description = file.section("description");
        if (description.isEmpty()) {
            return ParseResult.malformed("no [description] section");
        }
        Map<String, String> examples = file.section("example").map(KeyFile.Section::entries).orElse(Map.of());
        Optional<Pattern> regex = Optional.empty();
        Optional<KeyFile.Section> regexSection = file.section("regex");
        if (regexSection.isPresent()) {
            Optional<String> value = regexSection.get().get("value");
            if (value.isEmpty() || value.get().isEmpty()) {
                return ParseResult.malformed("[regex] has no value");
            }
            try {
                regex = Optional.of(Pattern.compile(fromPythonSyntax(value.get())));
            } catch (PatternSyntaxException e) {
                return ParseResult.malformed("[regex] value is not a valid regular expression: "
                        + e.getDescription() + " near index " + e.getIndex());
            }
        }
        return ParseResult.parsed(new ExtraInformationItem(itemName, label.get().entries(),
                description.get().entries(), examples, regex));
    }

    static String fromPythonSyntax(String pythonPattern) {
        return pythonPattern.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
    }
}
