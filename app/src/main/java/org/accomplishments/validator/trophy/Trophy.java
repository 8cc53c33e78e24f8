package org.accomplishments.validator.trophy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code .trophy} file as a user's client wrote it (formats.md section 2), read by {@link TrophyParser}.
 *
 * @param id               the accomplishment it claims ({@code id}, or {@code accomplishment} in format 0.1)
 * @param needsSigning     what the trophy says; the accomplishment definition is what counts
 * @param information      for each item of {@code needsInformation} that has its own key, that key's value
 * @param entries          every key of the {@code [trophy]} section in file order (lower-case keys)
 * @param trophySection    the {@code [trophy]} section exactly as read, line endings normalised to
 *                         {@code \n}, trailing blank lines dropped, ending with exactly one {@code \n}:
 *                         the text the server signs
 * @param versionDeclared  false when the file has no {@code version} key and the format was inferred
 */
public record Trophy(
        Version version,
        boolean versionDeclared,
        AccomplishmentId id,
        boolean needsSigning,
        List<String> needsInformation,
        Map<String, String> information,
        Optional<String> dateAccomplished,
        Map<String, String> entries,
        String trophySection) {

    public enum Version {
        /** Read only: the accomplishment's keys copied in, and {@code accomplishment} instead of {@code id}. */
        V0_1("0.1"),
        V0_2("0.2");

        private final String text;

        Version(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public static Optional<Version> fromText(String text) {
            for (Version version : values()) {
                if (version.text.equals(text)) {
                    return Optional.of(version);
                }
            }
            return Optional.empty();
        }
    }

    public Trophy {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(id, "id");
        needsInformation = List.copyOf(needsInformation);
        information = Collections.unmodifiableMap(new LinkedHashMap<>(information));
        Objects.requireNonNull(dateAccomplished, "dateAccomplished");
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        Objects.requireNonNull(trophySection, "trophySection");
    }

    /** The items listed in {@code needs-information} that have no key of their own. */
    public List<String> missingInformation() {
        return needsInformation.stream().filter(item -> !information.containsKey(item)).toList();
    }
}
