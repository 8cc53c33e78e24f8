package org.accomplishments.validator.trophy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One accomplishment definition in one language, read from an {@code .accomplishment} file.
 *
 * <p>Only the definition in the collection's default language should drive validation
 * ({@code needsSigning}, {@code needsInformation}, {@code depends}); translations carry the same values
 * but are only meant for display.
 *
 * @param needsSigning     true for a global accomplishment: its trophies are validated and signed
 * @param humanIssued      (added) awarded by people through the web UI, so it has no logic script;
 *                         read from the optional key {@code human-issued}
 * @param extras           every key this record does not interpret ({@code collection}, {@code application}
 *                         of 0.1 files, strays such as {@code subcategory}), kept in file order
 */
public record Accomplishment(
        AccomplishmentId id,
        String language,
        String title,
        String description,
        List<String> categories,
        Optional<String> icon,
        boolean needsSigning,
        List<String> needsInformation,
        List<AccomplishmentId> depends,
        boolean humanIssued,
        Documentation documentation,
        Map<String, String> extras) {

    /** The multi-line help texts (limited HTML: {@code <i>}, {@code <tt>}, {@code <b>}) and credits. */
    public record Documentation(
            Optional<String> summary,
            Optional<String> steps,
            Optional<String> tips,
            Optional<String> pitfalls,
            Optional<String> links,
            Optional<String> help,
            Optional<String> author,
            Optional<String> keywords) {

        public static Documentation none() {
            return new Documentation(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    public Accomplishment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(description, "description");
        categories = List.copyOf(categories);
        Objects.requireNonNull(icon, "icon");
        needsInformation = List.copyOf(needsInformation);
        depends = List.copyOf(depends);
        Objects.requireNonNull(documentation, "documentation");
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }
}
