package org.accomplishments.validator.collection;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.accomplishments.validator.trophy.Accomplishment;
import org.accomplishments.validator.trophy.AccomplishmentId;
import org.accomplishments.validator.trophy.ExtraInformationItem;
import org.accomplishments.validator.trophy.TestVectors;

/**
 * An immutable snapshot of every installed collection, made by {@link CollectionLoader}. Reloading makes a
 * new catalog; holders swap the reference, so a validation never sees half a reload.
 *
 * <p>An accomplishment exists when its collection's default language defines it. Validation must use that
 * definition ({@link #find(AccomplishmentId)}); translations ({@link #find(AccomplishmentId, String)}) are
 * for display.
 */
public final class AccomplishmentCatalog {

    private final Map<String, InstalledCollection> collections;
    private final Map<AccomplishmentId, Map<String, Accomplishment>> byLanguage;
    private final Map<String, Map<String, ExtraInformationItem>> extraInformation;
    private final Map<AccomplishmentId, Path> logicScripts;
    private final Map<AccomplishmentId, TestVectors> testVectors;
    private final List<LoadProblem> problems;
    private final List<LoadWarning> warnings;
    private final Instant loadedAt;

    AccomplishmentCatalog(
            Map<String, InstalledCollection> collections,
            Map<AccomplishmentId, Map<String, Accomplishment>> byLanguage,
            Map<String, Map<String, ExtraInformationItem>> extraInformation,
            Map<AccomplishmentId, Path> logicScripts,
            Map<AccomplishmentId, TestVectors> testVectors,
            List<LoadProblem> problems,
            List<LoadWarning> warnings,
            Instant loadedAt) {
        this.collections = Collections.unmodifiableMap(new TreeMap<>(collections));
        TreeMap<AccomplishmentId, Map<String, Accomplishment>> definitions = new TreeMap<>();
        byLanguage.forEach((id, languages) -> definitions.put(id, Map.copyOf(languages)));
        this.byLanguage = Collections.unmodifiableMap(definitions);
        TreeMap<String, Map<String, ExtraInformationItem>> items = new TreeMap<>();
        extraInformation.forEach((collection, byName) -> items.put(collection, Map.copyOf(byName)));
        this.extraInformation = Collections.unmodifiableMap(items);
        this.logicScripts = Map.copyOf(logicScripts);
        this.testVectors = Map.copyOf(testVectors);
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
        this.loadedAt = loadedAt;
    }

    public static AccomplishmentCatalog empty(Instant loadedAt) {
        return new AccomplishmentCatalog(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of(), List.of(), loadedAt);
    }

    /** The definition in the collection's default language: the one that drives validation. */
    public Optional<Accomplishment> find(AccomplishmentId id) {
        return defaultLanguage(id).map(language -> byLanguage.get(id).get(language));
    }

    /**
     * The definition for a locale such as {@code pt_BR} (also {@code pt-BR}, {@code pt_BR.UTF-8}): the full
     * locale, then the language ({@code pt}), then the collection's default language, as the 2012 client
     * chose. An accomplishment missing from a translation therefore falls back too.
     */
    public Optional<Accomplishment> find(AccomplishmentId id, String locale) {
        Map<String, Accomplishment> languages = byLanguage.get(id);
        if (languages == null) {
            return Optional.empty();
        }
        for (String candidate : localeCandidates(locale)) {
            Accomplishment translated = languages.get(candidate);
            if (translated != null) {
                return Optional.of(translated);
            }
        }
        return find(id);
    }

    /** Collections by folder name. */
    public Map<String, InstalledCollection> collections() {
        return collections;
    }

    public Optional<InstalledCollection> collection(String name) {
        return Optional.ofNullable(collections.get(name));
    }

    public Optional<ExtraInformationItem> extraInformation(String collection, String item) {
        return Optional.ofNullable(extraInformation.getOrDefault(collection, Map.of()).get(item));
    }

    /** All extra-information descriptors of a collection, by item name. */
    public Map<String, ExtraInformationItem> extraInformation(String collection) {
        return extraInformation.getOrDefault(collection, Map.of());
    }

    /** The executable logic script of an accomplishment, chosen at load time. */
    public Optional<Path> logicScript(AccomplishmentId id) {
        return Optional.ofNullable(logicScripts.get(id));
    }

    public Optional<TestVectors> testVectors(AccomplishmentId id) {
        return Optional.ofNullable(testVectors.get(id));
    }

    /** Every accomplishment in its collection's default language, ordered by id. */
    public List<Accomplishment> accomplishments() {
        List<Accomplishment> all = new ArrayList<>();
        for (AccomplishmentId id : byLanguage.keySet()) {
            find(id).ifPresent(all::add);
        }
        return all;
    }

    public Set<AccomplishmentId> ids() {
        return byLanguage.keySet();
    }

    /** The languages an accomplishment is defined in. */
    public Set<String> languages(AccomplishmentId id) {
        return byLanguage.getOrDefault(id, Map.of()).keySet();
    }

    public int size() {
        return byLanguage.size();
    }

    /** What did not load (a file refused, a collection skipped), and why. */
    public List<LoadProblem> problems() {
        return problems;
    }

    /**
     * What loaded but is sloppy and should be fixed, e.g. a key given twice in a definition (the last value
     * counts, as with the 2012 server's Python 2 ConfigParser). Never something that failed to load.
     */
    public List<LoadWarning> warnings() {
        return warnings;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    private Optional<String> defaultLanguage(AccomplishmentId id) {
        InstalledCollection collection = collections.get(id.collection());
        if (collection == null || !byLanguage.containsKey(id)) {
            return Optional.empty();
        }
        return Optional.of(collection.about().langdefault());
    }

    /** {@code pt-BR}, {@code pt_br.UTF-8@euro} → {@code [pt_BR, pt]}. */
    static List<String> localeCandidates(String locale) {
        if (locale == null || locale.isBlank()) {
            return List.of();
        }
        String plain = locale.strip();
        int cut = indexOfAny(plain, ".@");
        if (cut >= 0) {
            plain = plain.substring(0, cut);
        }
        plain = plain.replace('-', '_');
        int underscore = plain.indexOf('_');
        if (underscore < 0) {
            return List.of(plain.toLowerCase(Locale.ROOT));
        }
        String language = plain.substring(0, underscore).toLowerCase(Locale.ROOT);
        String region = plain.substring(underscore + 1).toUpperCase(Locale.ROOT);
        return List.of(language + "_" + region, language);
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
