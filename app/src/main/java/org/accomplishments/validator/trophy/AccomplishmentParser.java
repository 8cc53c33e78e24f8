package org.accomplishments.validator.trophy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads an {@code .accomplishment} file (one {@code [accomplishment]} section, formats.md section 1). */
public final class AccomplishmentParser {

    public static final String SECTION = "accomplishment";

    private static final Set<String> INTERPRETED = Set.of(
            "title", "description", "category", "icon", "needs-signing", "needs-information", "depends",
            "human-issued", "summary", "steps", "tips", "pitfalls", "links", "help", "author", "keywords");

    private AccomplishmentParser() {
    }

    /**
     * Parses a definition as the 2012 server did: a key given twice counts with its last value
     * ({@link KeyFile.Duplicates#LAST_WINS}, Python 2 ConfigParser), because definitions are installed by
     * the administrator, not sent by strangers. To report such repeats, parse the {@link KeyFile} yourself and
     * call {@link #read(AccomplishmentId, String, KeyFile)}.
     *
     * @param id       taken from the file's location (the directory and base name are authoritative, not the
     *                 informational {@code collection} key)
     * @param language the language folder the file was found in
     */
    public static ParseResult<Accomplishment> parse(AccomplishmentId id, String language, String text) {
        return KeyFile.parse(text, KeyFile.Duplicates.LAST_WINS).flatMap(file -> read(id, language, file));
    }

    /** Reads a definition from an already parsed key file (whatever its duplicate mode). */
    public static ParseResult<Accomplishment> read(AccomplishmentId id, String language, KeyFile file) {
        Optional<KeyFile.Section> found = file.section(SECTION);
        if (found.isEmpty()) {
            return ParseResult.malformed("no [" + SECTION + "] section");
        }
        KeyFile.Section section = found.get();
        Optional<String> title = section.get("title").filter(t -> !t.isEmpty());
        if (title.isEmpty()) {
            return ParseResult.malformed("[" + SECTION + "] has no title");
        }
        Optional<String> description = section.get("description").filter(d -> !d.isEmpty());
        if (description.isEmpty()) {
            return ParseResult.malformed("[" + SECTION + "] has no description");
        }
        ParseResult<Boolean> needsSigning = Values.flag(section.get("needs-signing"), "needs-signing");
        if (needsSigning instanceof ParseResult.Malformed<Boolean> m) {
            return ParseResult.malformed(m.reason());
        }
        ParseResult<Boolean> humanIssued = Values.flag(section.get("human-issued"), "human-issued");
        if (humanIssued instanceof ParseResult.Malformed<Boolean> m) {
            return ParseResult.malformed(m.reason());
        }
        ParseResult<List<String>> needsInformation = Values.itemNames(section.get("needs-information"), "needs-information");
        if (needsInformation instanceof ParseResult.Malformed<List<String>> m) {
            return ParseResult.malformed(m.reason());
        }
        List<AccomplishmentId> depends = new ArrayList<>();
        for (String dependency : Values.commaList(section.get("depends").orElse(""))) {
            ParseResult<AccomplishmentId> parsed = AccomplishmentId.parse(dependency);
            if (parsed instanceof ParseResult.Malformed<AccomplishmentId> m) {
                return ParseResult.malformed("depends: " + m.reason());
            }
            depends.add(parsed.orElseThrow());
        }
        Map<String, String> extras = new LinkedHashMap<>();
        section.entries().forEach((key, value) -> {
            if (!INTERPRETED.contains(key)) {
                extras.put(key, value);
            }
        });
        Accomplishment.Documentation documentation = new Accomplishment.Documentation(
                section.get("summary"), section.get("steps"), section.get("tips"), section.get("pitfalls"),
                section.get("links"), section.get("help"), section.get("author"), section.get("keywords"));
        return ParseResult.parsed(new Accomplishment(
                id,
                language,
                title.get(),
                description.get(),
                Values.commaList(section.get("category").orElse("")),
                section.get("icon").filter(icon -> !icon.isEmpty()),
                needsSigning.orElseThrow(),
                needsInformation.orElseThrow(),
                depends,
                humanIssued.orElseThrow(),
                documentation,
                extras));
    }
}
