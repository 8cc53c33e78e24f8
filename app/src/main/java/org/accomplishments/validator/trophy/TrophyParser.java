package org.accomplishments.validator.trophy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@code .trophy} file from its bytes. Every byte is assumed hostile: strict UTF-8, strict key-file
 * syntax, bounded size, and a precise reason (with line numbers) for every refusal.
 *
 * <p>Format decision: {@code version = 0.2} needs {@code id}; {@code version = 0.1} needs
 * {@code accomplishment}. A file without {@code version} is accepted as 0.2 when it has {@code id}, or as 0.1
 * when it has only {@code accomplishment} (early clients did not always write the version; the id is what
 * matters and it is checked against the path anyway). When both {@code id} and {@code accomplishment} are
 * present they must agree, so there is never a question which one the server validated. Any other
 * version, and any section besides {@code [trophy]}, is malformed.
 */
public final class TrophyParser {

    public static final String SECTION = "trophy";
    /** Defensive cap; the caller normally refuses large files before reading them. */
    public static final int MAX_BYTES = 1024 * 1024;
    public static final int MAX_LINES = KeyFile.MAX_LINES;
    public static final int MAX_LINE_LENGTH = KeyFile.MAX_LINE_LENGTH;

    /** Keys with a meaning of their own, which an extra-information item may therefore not be called. */
    private static final Set<String> RESERVED_KEYS = Set.of(
            "version", "id", "accomplishment", "date-accomplished", "needs-signing", "needs-information");

    public sealed interface Result permits Parsed, Malformed {
    }

    public record Parsed(Trophy trophy) implements Result {
        public Parsed {
            Objects.requireNonNull(trophy, "trophy");
        }
    }

    /**
     * @param reason {@link RejectionReason#MALFORMED}, {@link RejectionReason#INVALID_ENCODING} or
     *               {@link RejectionReason#TOO_LARGE}
     */
    public record Malformed(RejectionReason reason, String detail) implements Result {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    private TrophyParser() {
    }

    public static Result parse(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > MAX_BYTES) {
            return new Malformed(RejectionReason.TOO_LARGE,
                    "the trophy is " + bytes.length + " bytes, more than " + MAX_BYTES);
        }
        ParseResult<String> decoded = TextDecoding.strictUtf8(bytes);
        if (decoded instanceof ParseResult.Malformed<String> m) {
            return new Malformed(RejectionReason.INVALID_ENCODING, m.reason());
        }
        String text = KeyFile.normaliseLineEndings(decoded.orElseThrow());
        Optional<String> tooLarge = exceedsLineLimits(text);
        if (tooLarge.isPresent()) {
            return new Malformed(RejectionReason.TOO_LARGE, tooLarge.get());
        }
        ParseResult<KeyFile> keyFile = KeyFile.parse(text);
        if (keyFile instanceof ParseResult.Malformed<KeyFile> m) {
            return new Malformed(RejectionReason.MALFORMED, m.reason());
        }
        return read(keyFile.orElseThrow());
    }

    private static Optional<String> exceedsLineLimits(String text) {
        int lines = 0;
        int lineStart = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i - lineStart > MAX_LINE_LENGTH) {
                    return Optional.of("line " + (lines + 1) + " is longer than " + MAX_LINE_LENGTH + " characters");
                }
                if (i < text.length() || i > lineStart) {
                    lines++;
                }
                if (lines > MAX_LINES) {
                    return Optional.of("more than " + MAX_LINES + " lines");
                }
                lineStart = i + 1;
            }
        }
        return Optional.empty();
    }

    private static Result read(KeyFile file) {
        for (KeyFile.Section other : file.sections().values()) {
            if (!other.name().equals(SECTION)) {
                return malformed("line " + other.headerLine() + ": unexpected section [" + other.name()
                        + "]; a trophy has only [" + SECTION + "]");
            }
        }
        Optional<KeyFile.Section> found = file.section(SECTION);
        if (found.isEmpty()) {
            return malformed("no [" + SECTION + "] section");
        }
        KeyFile.Section section = found.get();

        Optional<String> declared = section.get("version");
        Optional<String> idText = section.get("id");
        Optional<String> accomplishmentText = section.get("accomplishment");
        Trophy.Version version;
        if (declared.isPresent()) {
            Optional<Trophy.Version> known = Trophy.Version.fromText(declared.get());
            if (known.isEmpty()) {
                return malformed("unsupported trophy version '" + KeyFile.abbreviate(declared.get()) + "' (expected 0.2 or 0.1)");
            }
            version = known.get();
        } else if (idText.isPresent()) {
            version = Trophy.Version.V0_2;
        } else if (accomplishmentText.isPresent()) {
            version = Trophy.Version.V0_1;
        } else {
            return malformed("[" + SECTION + "] has neither version nor id");
        }

        String idKey = version == Trophy.Version.V0_2 ? "id" : "accomplishment";
        Optional<String> claimed = version == Trophy.Version.V0_2 ? idText : accomplishmentText;
        if (claimed.isEmpty()) {
            return malformed("a version " + version.text() + " trophy needs an '" + idKey + "' key");
        }
        if (idText.isPresent() && accomplishmentText.isPresent() && !idText.get().equals(accomplishmentText.get())) {
            return malformed("'id' and 'accomplishment' name different accomplishments");
        }
        ParseResult<AccomplishmentId> id = AccomplishmentId.parse(claimed.get());
        if (id instanceof ParseResult.Malformed<AccomplishmentId> m) {
            return malformed(idKey + ": " + m.reason());
        }

        ParseResult<Boolean> needsSigning = Values.flag(section.get("needs-signing"), "needs-signing");
        if (needsSigning instanceof ParseResult.Malformed<Boolean> m) {
            return malformed(m.reason());
        }
        ParseResult<List<String>> needsInformation = Values.itemNames(section.get("needs-information"), "needs-information");
        if (needsInformation instanceof ParseResult.Malformed<List<String>> m) {
            return malformed(m.reason());
        }
        // Item names are file names (case matters on disk) but keys are case-insensitive: keep the item as
        // listed and look its value up case-insensitively.
        Map<String, String> information = new LinkedHashMap<>();
        List<String> items = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String item : needsInformation.orElseThrow()) {
            String key = item.toLowerCase(java.util.Locale.ROOT);
            if (RESERVED_KEYS.contains(key)) {
                return malformed("needs-information names the reserved key '" + key + "'");
            }
            if (!seen.add(key)) {
                return malformed("needs-information lists '" + item + "' twice");
            }
            items.add(item);
            section.get(key).ifPresent(value -> information.put(item, value));
        }
        return new Parsed(new Trophy(
                version,
                declared.isPresent(),
                id.orElseThrow(),
                needsSigning.orElseThrow(),
                items,
                information,
                section.get("date-accomplished"),
                section.entries(),
                signableText(section.rawText())));
    }

    /** The raw section without trailing blank lines, ending with exactly one line ending. */
    static String signableText(String rawSection) {
        List<String> lines = KeyFile.splitLines(rawSection);
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) {
            end--;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < end; i++) {
            text.append(lines.get(i)).append('\n');
        }
        return text.toString();
    }

    private static Result malformed(String detail) {
        return new Malformed(RejectionReason.MALFORMED, detail);
    }
}
