package org.accomplishments.validator.trophy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed INI / key-file as the Ubuntu Accomplishments system writes it (formats.md section 1).
 *
 * <p>The rules follow Python's ConfigParser, which wrote and read these files in 2012, made strict where
 * Python was lenient, because trophy files come from strangers:
 * <ul>
 *   <li>{@code key = value} or {@code key: value}; the first {@code =} or {@code :} separates; key and
 *       value are trimmed; keys are case-insensitive and stored lower-case; section names keep their case.</li>
 *   <li>A line starting with a space or TAB continues the previous value; continuation lines are trimmed
 *       and joined with {@code \n}. An indented line starting with {@code #} is a continuation, not a comment
 *       (Python 2 semantics; the real collection has {@code help} values continued with {@code #channel}).</li>
 *   <li>{@code #} or {@code ;} in the first column starts a comment line; there are no inline comments, so
 *       {@code help = #ubuntu on Freenode} keeps its value.</li>
 *   <li>Blank lines are skipped, also inside a continued value (Python 2 semantics).</li>
 *   <li>Duplicates depend on the {@link Duplicates} mode. {@link Duplicates#REFUSE} (the default, for
 *       trophies and everything else that comes from a share) is Python 3's {@code strict=True}: a duplicate
 *       section or a duplicate key in a section is malformed. {@link Duplicates#LAST_WINS} (for collection
 *       files, which the administrator installs and the 2012 server read with Python 2's ConfigParser) does
 *       what Python 2 did: a repeated key silently replaces the earlier value (keeping the key's original
 *       position), and a repeated section header reopens and merges into the earlier section, whose keys
 *       the later ones then replace. Each repeat is listed in {@link #duplicates()} so the caller can
 *       report the sloppy file.</li>
 *   <li>Keys outside a section are malformed; blank and comment lines before the first section are
 *       allowed.</li>
 *   <li>Bounded: at most {@value #MAX_LINES} lines of at most {@value #MAX_LINE_LENGTH} characters; keys
 *       are {@code [A-Za-z0-9_][A-Za-z0-9_.+@-]*} up to 128 characters; control characters other than TAB
 *       are refused (they have no business in these files and could corrupt a terminal or a log).</li>
 * </ul>
 *
 * <p>Each section keeps its raw text (header line up to the next header, line endings normalised to
 * {@code \n}) because the signer must sign the {@code [trophy]} section exactly as read. A section merged
 * in {@link Duplicates#LAST_WINS} mode keeps the raw text of all its parts, in file order, and the line of
 * its first header.
 */
public final class KeyFile {

    public static final int MAX_LINES = 10_000;
    public static final int MAX_LINE_LENGTH = 64 * 1024;
    public static final int MAX_KEY_LENGTH = 128;

    private static final Pattern HEADER = Pattern.compile("\\[([^\\[\\]]+)\\][ \\t]*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+@-]*");

    /** What to do with a repeated key in a section, or a repeated section header. */
    public enum Duplicates {
        /** Malformed (Python 3 {@code strict=True}). The default; for anything a stranger may have written. */
        REFUSE,
        /**
         * Python 2 ConfigParser: the last value of a key counts, repeated sections are merged; every repeat
         * is recorded in {@link KeyFile#duplicates()}. Only for files the administrator installed.
         */
        LAST_WINS
    }

    /**
     * A repeat accepted in {@link Duplicates#LAST_WINS} mode: a key (then {@code key} is present) or a
     * section header (then {@code key} is empty) at {@code line} that repeats the one at {@code earlierLine}
     * (the occurrence it replaces or merges into).
     */
    public record Duplicate(String section, Optional<String> key, int earlierLine, int line) {
        public Duplicate {
            Objects.requireNonNull(section, "section");
            Objects.requireNonNull(key, "key");
        }

        /** E.g. {@code line 17: duplicate key 'depends' in section [accomplishment] (earlier at line 8)}. */
        public String describe() {
            return key.map(k -> "line " + line + ": duplicate key '" + k + "' in section [" + section
                            + "] (earlier at line " + earlierLine + ")")
                    .orElseGet(() -> "line " + line + ": duplicate section [" + section
                            + "] (earlier at line " + earlierLine + ")");
        }
    }

    /** One {@code [name]} section: its entries in file order and its raw text. */
    public record Section(String name, int headerLine, Map<String, String> entries, String rawText) {
        public Section {
            Objects.requireNonNull(name, "name");
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            Objects.requireNonNull(rawText, "rawText");
        }

        /** The value of a key, looked up case-insensitively. */
        public Optional<String> get(String key) {
            return Optional.ofNullable(entries.get(key.toLowerCase(Locale.ROOT)));
        }

        public boolean has(String key) {
            return entries.containsKey(key.toLowerCase(Locale.ROOT));
        }
    }

    private final Map<String, Section> sections;
    private final List<Duplicate> duplicates;

    private KeyFile(Map<String, Section> sections, List<Duplicate> duplicates) {
        this.sections = Collections.unmodifiableMap(sections);
        this.duplicates = List.copyOf(duplicates);
    }

    /** Sections in file order, by name. */
    public Map<String, Section> sections() {
        return sections;
    }

    public Optional<Section> section(String name) {
        return Optional.ofNullable(sections.get(name));
    }

    /**
     * The repeated keys and sections accepted in {@link Duplicates#LAST_WINS} mode, in file order; always
     * empty in {@link Duplicates#REFUSE} mode.
     */
    public List<Duplicate> duplicates() {
        return duplicates;
    }

    /** Strict parsing ({@link Duplicates#REFUSE}): for trophies and anything else from a share. */
    public static ParseResult<KeyFile> parse(String text) {
        return parse(text, Duplicates.REFUSE);
    }

    public static ParseResult<KeyFile> parse(String text, Duplicates mode) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(mode, "mode");
        String normalised = normaliseLineEndings(text);
        List<String> lines = splitLines(normalised);
        if (lines.size() > MAX_LINES) {
            return ParseResult.malformed("more than " + MAX_LINES + " lines");
        }
        return new Reader(lines, mode).read();
    }

    /** {@code \r\n} and a lone {@code \r} become {@code \n}, as Python's universal newlines do. */
    public static String normaliseLineEndings(String text) {
        if (text.indexOf('\r') < 0) {
            return text;
        }
        return text.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** Splits on {@code \n}; a final line ending does not produce an extra empty line. */
    static List<String> splitLines(String normalised) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < normalised.length()) {
            int end = normalised.indexOf('\n', start);
            if (end < 0) {
                lines.add(normalised.substring(start));
                break;
            }
            lines.add(normalised.substring(start, end));
            start = end + 1;
            if (lines.size() > MAX_LINES) {
                break; // enough to know it is too long; do not split a hostile file any further
            }
        }
        return lines;
    }

    private static final class Reader {
        /** A section being collected; in LAST_WINS mode a repeated header reopens it. */
        private static final class Open {
            final String name;
            final int headerLine;
            final Map<String, String> entries = new LinkedHashMap<>();
            final Map<String, Integer> keyLines = new HashMap<>();
            final StringBuilder raw = new StringBuilder();

            Open(String name, int headerLine) {
                this.name = name;
                this.headerLine = headerLine;
            }
        }

        private final List<String> lines;
        private final Duplicates mode;
        private final Map<String, Open> sections = new LinkedHashMap<>();
        private final List<Duplicate> duplicates = new ArrayList<>();

        private Open current;
        private int partStart = -1;
        private String currentKey;

        Reader(List<String> lines, Duplicates mode) {
            this.lines = lines;
            this.mode = mode;
        }

        ParseResult<KeyFile> read() {
            for (int i = 0; i < lines.size(); i++) {
                int lineNo = i + 1;
                String line = lines.get(i);
                if (line.length() > MAX_LINE_LENGTH) {
                    return ParseResult.malformed("line " + lineNo + ": longer than " + MAX_LINE_LENGTH + " characters");
                }
                int control = firstControlCharacter(line);
                if (control >= 0) {
                    return ParseResult.malformed(String.format(Locale.ROOT,
                            "line %d: control character U+%04X", lineNo, (int) line.charAt(control)));
                }
                if (line.isBlank()) {
                    continue;
                }
                char first = line.charAt(0);
                if (first == '#' || first == ';') {
                    continue;
                }
                if (first == ' ' || first == '\t') {
                    if (current == null || currentKey == null) {
                        return ParseResult.malformed("line " + lineNo + ": indented line with no key to continue");
                    }
                    current.entries.put(currentKey, current.entries.get(currentKey) + "\n" + line.strip());
                    continue;
                }
                if (first == '[') {
                    String problem = startSection(line, i);
                    if (problem != null) {
                        return ParseResult.malformed(problem);
                    }
                    continue;
                }
                String problem = addEntry(line, lineNo);
                if (problem != null) {
                    return ParseResult.malformed(problem);
                }
            }
            closePart(lines.size());
            Map<String, Section> built = new LinkedHashMap<>();
            sections.forEach((name, open) -> built.put(name,
                    new Section(name, open.headerLine, open.entries, open.raw.toString())));
            return ParseResult.parsed(new KeyFile(built, duplicates));
        }

        /** Returns why the header is unacceptable, or null. */
        private String startSection(String line, int index) {
            int lineNo = index + 1;
            var matcher = HEADER.matcher(line);
            if (!matcher.matches()) {
                return "line " + lineNo + ": malformed section header";
            }
            String name = matcher.group(1);
            if (!name.equals(name.strip())) {
                return "line " + lineNo + ": section name has surrounding spaces";
            }
            closePart(index);
            Open earlier = sections.get(name);
            if (earlier != null) {
                if (mode == Duplicates.REFUSE) {
                    return "line " + lineNo + ": duplicate section [" + name
                            + "] (first at line " + earlier.headerLine + ")";
                }
                // Python 2 ConfigParser: the repeated header reopens the section and the keys merge into it.
                duplicates.add(new Duplicate(name, Optional.empty(), earlier.headerLine, lineNo));
                current = earlier;
            } else {
                current = new Open(name, lineNo);
                sections.put(name, current);
            }
            partStart = index;
            currentKey = null;
            return null;
        }

        /** Returns why the entry is unacceptable, or null. */
        private String addEntry(String line, int lineNo) {
            if (current == null) {
                return "line " + lineNo + ": key outside any section (a [section] header must come first)";
            }
            int separator = firstSeparator(line);
            if (separator < 0) {
                return "line " + lineNo + ": expected 'key = value' or 'key: value'";
            }
            String key = line.substring(0, separator).strip();
            if (key.length() > MAX_KEY_LENGTH || !KEY.matcher(key).matches()) {
                return "line " + lineNo + ": invalid key '" + abbreviate(key) + "'";
            }
            key = key.toLowerCase(Locale.ROOT);
            Integer earlier = current.keyLines.get(key);
            if (earlier != null) {
                if (mode == Duplicates.REFUSE) {
                    return "line " + lineNo + ": duplicate key '" + key + "' in section ["
                            + current.name + "] (first at line " + earlier + ")";
                }
                // Python 2 ConfigParser: the later value replaces the earlier one, in the key's first position.
                duplicates.add(new Duplicate(current.name, Optional.of(key), earlier, lineNo));
            }
            current.keyLines.put(key, lineNo);
            current.entries.put(key, line.substring(separator + 1).strip());
            currentKey = key;
            return null;
        }

        /** Appends the lines since the current part's header to its section's raw text. */
        private void closePart(int endIndex) {
            if (current == null) {
                return;
            }
            for (int i = partStart; i < endIndex; i++) {
                current.raw.append(lines.get(i)).append('\n');
            }
        }
    }

    private static int firstSeparator(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    private static int firstControlCharacter(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return i;
            }
        }
        return -1;
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
