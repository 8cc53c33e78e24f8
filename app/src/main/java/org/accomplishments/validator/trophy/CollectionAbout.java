package org.accomplishments.validator.trophy;

import java.util.Objects;

/**
 * A collection's {@code ABOUT} file: section {@code [general]} with the display {@code name} and
 * {@code langdefault}, the language folder used when no translation fits. Both are required.
 */
public record CollectionAbout(String name, String langdefault) {

    public static final String SECTION = "general";

    public CollectionAbout {
        Objects.requireNonNull(name, "name");
        AccomplishmentId.requireValidPart(langdefault, "langdefault");
    }

    /** Parses with {@link KeyFile.Duplicates#LAST_WINS}, as the 2012 server read collection files. */
    public static ParseResult<CollectionAbout> parse(String text) {
        return KeyFile.parse(text, KeyFile.Duplicates.LAST_WINS).flatMap(CollectionAbout::read);
    }

    /** Reads an ABOUT from an already parsed key file (whatever its duplicate mode). */
    public static ParseResult<CollectionAbout> read(KeyFile file) {
        var section = file.section(SECTION);
        if (section.isEmpty()) {
            return ParseResult.malformed("no [" + SECTION + "] section");
        }
        var name = section.get().get("name").filter(n -> !n.isEmpty());
        if (name.isEmpty()) {
            return ParseResult.malformed("[" + SECTION + "] has no name");
        }
        var langdefault = section.get().get("langdefault").filter(l -> !l.isEmpty());
        if (langdefault.isEmpty()) {
            return ParseResult.malformed("[" + SECTION + "] has no langdefault");
        }
        // The language names a folder, so it must be a plain file name.
        if (!AccomplishmentId.isValidPart(langdefault.get())) {
            return ParseResult.malformed("langdefault '" + KeyFile.abbreviate(langdefault.get()) + "' is not a valid language name");
        }
        return ParseResult.parsed(new CollectionAbout(name.get(), langdefault.get()));
    }
}
