package org.accomplishments.validator.collection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.accomplishments.validator.trophy.Accomplishment;
import org.accomplishments.validator.trophy.AccomplishmentId;
import org.accomplishments.validator.trophy.AccomplishmentParser;
import org.accomplishments.validator.trophy.CollectionAbout;
import org.accomplishments.validator.trophy.ExtraInformationItem;
import org.accomplishments.validator.trophy.KeyFile;
import org.accomplishments.validator.trophy.ParseResult;
import org.accomplishments.validator.trophy.TestVectors;
import org.accomplishments.validator.trophy.TextDecoding;

/**
 * Loads the installed collections from the search path ({@code accompath}) into an
 * {@link AccomplishmentCatalog} (layout in formats.md section 1):
 * <pre>
 * accomplishments/&lt;collection&gt;/ABOUT
 * accomplishments/&lt;collection&gt;/&lt;lang&gt;/[&lt;set&gt;/]&lt;name&gt;.accomplishment
 * accomplishments/&lt;collection&gt;/extrainformation/&lt;item&gt;
 * scripts/&lt;collection&gt;/[&lt;set&gt;/]&lt;name&gt;.&lt;ext&gt;
 * tests/&lt;collection&gt;/[&lt;set&gt;/]&lt;name&gt;
 * </pre>
 *
 * <p>Precedence: roots are searched in order and the first root that has a file wins, separately for each
 * ABOUT, each definition (per language), each extra-information item, each logic script and each test-vector
 * file. So an earlier root can override one accomplishment of a collection (say, to fix a broken definition)
 * without copying the whole collection. A malformed file still wins over later roots: the problem is
 * reported rather than silently papered over with an older copy.
 *
 * <p>Collection files (ABOUT, definitions, extra-information descriptors, test vectors) are installed by the
 * administrator and were read in 2012 by Python 2's ConfigParser, so they are parsed with
 * {@link KeyFile.Duplicates#LAST_WINS}: a repeated key counts with its last value and a repeated section is
 * merged. The file loads, and each repeat becomes a {@link LoadWarning} (the real ubuntu-community collection
 * has one: {@code depends} twice in {@code askubuntu-archaeologist}). Trophies, which strangers write, stay
 * strict (see {@code org.accomplishments.validator.trophy}).
 *
 * <p>Nothing here throws for bad content: a missing root, an unreadable or malformed file, an oversized
 * file or a non-executable script becomes a {@link LoadProblem} and everything else still loads.
 *
 * <p>Bounded work: only the fixed layout above is visited (never deeper than a set folder), so symbolic
 * links (acceptable: collections are installed by the admin) cannot lead into a cycle; at most
 * {@link Limits#maxEntries()} directory entries are looked at in total and no definition file larger than
 * {@link Limits#maxFileBytes()} is read.
 */
public final class CollectionLoader {

    static final String ACCOMPLISHMENTS = "accomplishments";
    static final String SCRIPTS = "scripts";
    static final String TESTS = "tests";
    static final String ABOUT = "ABOUT";
    static final String EXTRA_INFORMATION = "extrainformation";
    static final String TROPHY_IMAGES = "trophyimages";
    static final String DEFINITION_SUFFIX = ".accomplishment";

    /** @param maxEntries directory entries looked at over the whole load; maxFileBytes per text file */
    public record Limits(int maxEntries, long maxFileBytes) {
        public static final Limits DEFAULT = new Limits(100_000, 1024 * 1024);

        public Limits {
            if (maxEntries < 1 || maxFileBytes < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    private final Limits limits;
    private final Clock clock;

    public CollectionLoader() {
        this(Limits.DEFAULT, Clock.systemUTC());
    }

    public CollectionLoader(Limits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Splits a classic colon-separated search path ({@code ~/accomplishments:/usr/share/accomplishments}). */
    public static List<Path> searchPath(String accompath) {
        List<Path> roots = new ArrayList<>();
        for (String part : accompath.split(":")) {
            if (!part.isBlank()) {
                roots.add(Path.of(part.strip()));
            }
        }
        return roots;
    }

    public AccomplishmentCatalog load(List<Path> roots) {
        return new Load(roots).run();
    }

    private record DefinitionKey(String collection, String language, String name) {
    }

    private record ItemKey(String collection, String item) {
    }

    /** One load: collects files root by root (first wins), then parses them. */
    private final class Load {
        private final List<Path> roots;
        private final List<LoadProblem> problems = new ArrayList<>();
        private final List<LoadWarning> warnings = new ArrayList<>();
        private int entriesSeen;
        private boolean exhausted;

        private final Map<String, Path> aboutFiles = new TreeMap<>();
        private final Map<String, Path> collectionRoots = new HashMap<>();
        private final Map<String, Path> collectionsWithoutAbout = new TreeMap<>();
        private final Map<DefinitionKey, Path> definitionFiles = new TreeMap<>(
                Comparator.comparing(DefinitionKey::collection).thenComparing(DefinitionKey::language)
                        .thenComparing(DefinitionKey::name));
        private final Map<ItemKey, Path> itemFiles = new LinkedHashMap<>();
        private final Map<AccomplishmentId, Path> scripts = new TreeMap<>();
        private final Map<AccomplishmentId, Path> testFiles = new TreeMap<>();

        Load(List<Path> roots) {
            this.roots = List.copyOf(roots);
        }

        AccomplishmentCatalog run() {
            for (Path root : roots) {
                if (!Files.exists(root)) {
                    problems.add(new LoadProblem(root, "collection root does not exist; skipped"));
                    continue;
                }
                if (!Files.isDirectory(root)) {
                    problems.add(new LoadProblem(root, "collection root is not a directory; skipped"));
                    continue;
                }
                scanDefinitions(root);
                scanScripts(root);
                scanTests(root);
            }
            return build();
        }

        // ---- scanning: which file wins for each thing --------------------------------------------------

        private void scanDefinitions(Path root) {
            Path accomplishments = root.resolve(ACCOMPLISHMENTS);
            if (!Files.isDirectory(accomplishments)) {
                problems.add(new LoadProblem(accomplishments, "no accomplishments folder in this root"));
                return;
            }
            for (Path collectionDir : directories(accomplishments)) {
                String collection = collectionDir.getFileName().toString();
                if (!AccomplishmentId.isValidPart(collection)) {
                    problems.add(new LoadProblem(collectionDir, "not a valid collection name; skipped"));
                    continue;
                }
                Path about = collectionDir.resolve(ABOUT);
                if (Files.exists(about)) {
                    if (aboutFiles.putIfAbsent(collection, about) == null) {
                        collectionRoots.put(collection, root);
                    }
                } else {
                    collectionsWithoutAbout.putIfAbsent(collection, collectionDir);
                }
                for (Path entry : entries(collectionDir)) {
                    String name = entry.getFileName().toString();
                    if (name.equals(ABOUT) || name.equals(TROPHY_IMAGES) || name.startsWith(".")) {
                        continue;
                    }
                    if (name.equals(EXTRA_INFORMATION)) {
                        scanExtraInformation(collection, entry);
                    } else if (Files.isDirectory(entry)) {
                        scanLanguage(collection, entry);
                    } else {
                        problems.add(new LoadProblem(entry, "unexpected file in a collection folder; ignored"));
                    }
                }
            }
        }

        private void scanExtraInformation(String collection, Path dir) {
            for (Path file : entries(dir)) {
                String item = file.getFileName().toString();
                if (item.startsWith(".")) {
                    continue;
                }
                if (!AccomplishmentId.isValidPart(item)) {
                    problems.add(new LoadProblem(file, "not a valid extra-information item name; ignored"));
                    continue;
                }
                itemFiles.putIfAbsent(new ItemKey(collection, item), file);
            }
        }

        private void scanLanguage(String collection, Path languageDir) {
            String language = languageDir.getFileName().toString();
            if (!AccomplishmentId.isValidPart(language)) {
                problems.add(new LoadProblem(languageDir, "not a valid language folder name; skipped"));
                return;
            }
            Map<String, Path> inThisRoot = new HashMap<>();
            for (Path entry : entries(languageDir)) {
                if (Files.isDirectory(entry)) {
                    for (Path inSet : entries(entry)) {
                        if (!Files.isDirectory(inSet)) {
                            considerDefinition(collection, language, inSet, inThisRoot);
                        }
                    }
                } else {
                    considerDefinition(collection, language, entry, inThisRoot);
                }
            }
        }

        private void considerDefinition(String collection, String language, Path file, Map<String, Path> inThisRoot) {
            String fileName = file.getFileName().toString();
            if (!fileName.endsWith(DEFINITION_SUFFIX) || fileName.startsWith(".")) {
                return; // READMEs, editor backups: not definitions
            }
            String name = fileName.substring(0, fileName.length() - DEFINITION_SUFFIX.length());
            if (!AccomplishmentId.isValidPart(name)) {
                problems.add(new LoadProblem(file, "not a valid accomplishment name; ignored"));
                return;
            }
            Path earlier = inThisRoot.putIfAbsent(name, file);
            if (earlier != null) {
                problems.add(new LoadProblem(file, "accomplishment '" + name + "' is also defined in " + earlier
                        + " (set folders are not part of the id); ignored"));
                return;
            }
            definitionFiles.putIfAbsent(new DefinitionKey(collection, language, name), file);
        }

        private void scanScripts(Path root) {
            Path scriptsDir = root.resolve(SCRIPTS);
            if (!Files.isDirectory(scriptsDir)) {
                return; // a root may hold only definitions (human-issued or local accomplishments)
            }
            for (Path collectionDir : directories(scriptsDir)) {
                String collection = collectionDir.getFileName().toString();
                if (!AccomplishmentId.isValidPart(collection)) {
                    problems.add(new LoadProblem(collectionDir, "not a valid collection name; skipped"));
                    continue;
                }
                Map<String, List<Path>> candidates = new TreeMap<>();
                for (Path entry : entries(collectionDir)) {
                    if (Files.isDirectory(entry)) {
                        for (Path inSet : entries(entry)) {
                            if (!Files.isDirectory(inSet)) {
                                considerScript(inSet, candidates);
                            }
                        }
                    } else {
                        considerScript(entry, candidates);
                    }
                }
                candidates.forEach((name, files) -> chooseScript(new AccomplishmentId(collection, name), files));
            }
        }

        private void considerScript(Path file, Map<String, List<Path>> candidates) {
            String fileName = file.getFileName().toString();
            if (fileName.startsWith(".")) {
                return;
            }
            int dot = fileName.lastIndexOf('.');
            String name = dot > 0 ? fileName.substring(0, dot) : "";
            if (dot < 0 || dot == fileName.length() - 1 || !AccomplishmentId.isValidPart(name)) {
                problems.add(new LoadProblem(file, "not named <accomplishment>.<extension>; ignored"));
                return;
            }
            candidates.computeIfAbsent(name, n -> new ArrayList<>()).add(file);
        }

        private void chooseScript(AccomplishmentId id, List<Path> files) {
            List<Path> sorted = new ArrayList<>(files);
            sorted.sort(Comparator.comparing(Path::toString));
            List<Path> usable = new ArrayList<>();
            for (Path file : sorted) {
                if (isExecutableRegularFile(file)) {
                    usable.add(file);
                } else {
                    problems.add(new LoadProblem(file, "logic script is not an executable regular file; ignored"));
                }
            }
            if (usable.isEmpty()) {
                return;
            }
            if (scripts.containsKey(id)) {
                return; // an earlier root already provides this script
            }
            scripts.put(id, usable.get(0));
            if (usable.size() > 1) {
                problems.add(new LoadProblem(usable.get(0).getParent(), "several logic scripts for " + id + ": "
                        + usable.stream().map(p -> p.getFileName().toString()).toList() + "; using " + usable.get(0)));
            }
        }

        private void scanTests(Path root) {
            Path testsDir = root.resolve(TESTS);
            if (!Files.isDirectory(testsDir)) {
                return;
            }
            for (Path collectionDir : directories(testsDir)) {
                String collection = collectionDir.getFileName().toString();
                if (!AccomplishmentId.isValidPart(collection)) {
                    problems.add(new LoadProblem(collectionDir, "not a valid collection name; skipped"));
                    continue;
                }
                Map<String, Path> inThisRoot = new HashMap<>();
                for (Path entry : entries(collectionDir)) {
                    if (Files.isDirectory(entry)) {
                        for (Path inSet : entries(entry)) {
                            if (!Files.isDirectory(inSet)) {
                                considerTest(collection, inSet, inThisRoot);
                            }
                        }
                    } else {
                        considerTest(collection, entry, inThisRoot);
                    }
                }
            }
        }

        private void considerTest(String collection, Path file, Map<String, Path> inThisRoot) {
            String name = file.getFileName().toString();
            if (name.startsWith(".")) {
                return;
            }
            if (!AccomplishmentId.isValidPart(name)) {
                problems.add(new LoadProblem(file, "not a valid accomplishment name; ignored"));
                return;
            }
            Path earlier = inThisRoot.putIfAbsent(name, file);
            if (earlier != null) {
                problems.add(new LoadProblem(file, "test vectors for '" + name + "' also in " + earlier + "; ignored"));
                return;
            }
            testFiles.putIfAbsent(new AccomplishmentId(collection, name), file);
        }

        // ---- parsing -----------------------------------------------------------------------------------

        private AccomplishmentCatalog build() {
            Map<String, InstalledCollection> collections = new TreeMap<>();
            aboutFiles.forEach((name, file) -> parseFile(file, CollectionAbout::read).ifPresent(
                    about -> collections.put(name, new InstalledCollection(name, about, collectionRoots.get(name)))));
            collectionsWithoutAbout.forEach((name, dir) -> {
                if (!aboutFiles.containsKey(name)) {
                    problems.add(new LoadProblem(dir, "collection has no ABOUT file in any root; skipped"));
                }
            });

            Map<AccomplishmentId, Map<String, Accomplishment>> byLanguage = new TreeMap<>();
            Map<DefinitionKey, Accomplishment> translations = new LinkedHashMap<>();
            definitionFiles.forEach((key, file) -> {
                InstalledCollection collection = collections.get(key.collection());
                if (collection == null) {
                    return; // reported once for the collection
                }
                AccomplishmentId id = new AccomplishmentId(key.collection(), key.name());
                Optional<Accomplishment> parsed = parseFile(file,
                        keyFile -> AccomplishmentParser.read(id, key.language(), keyFile));
                if (parsed.isEmpty()) {
                    return;
                }
                if (key.language().equals(collection.about().langdefault())) {
                    byLanguage.computeIfAbsent(id, i -> new HashMap<>()).put(key.language(), parsed.get());
                } else {
                    translations.put(key, parsed.get());
                }
            });
            translations.forEach((key, translated) -> {
                Map<String, Accomplishment> languages = byLanguage.get(translated.id());
                if (languages == null) {
                    problems.add(new LoadProblem(definitionFiles.get(key), "translation of " + translated.id()
                            + ", which has no valid definition in the default language; ignored"));
                    return;
                }
                Accomplishment original = languages.get(collections.get(key.collection()).about().langdefault());
                disagreement(original, translated).ifPresent(what -> problems.add(new LoadProblem(
                        definitionFiles.get(key), "translation disagrees with the default language on " + what
                        + "; the default language counts")));
                languages.put(key.language(), translated);
            });

            Map<String, Map<String, ExtraInformationItem>> items = new TreeMap<>();
            itemFiles.forEach((key, file) -> {
                if (!collections.containsKey(key.collection())) {
                    return;
                }
                parseFile(file, keyFile -> ExtraInformationItem.read(key.item(), keyFile)).ifPresent(
                        item -> items.computeIfAbsent(key.collection(), c -> new TreeMap<>()).put(key.item(), item));
            });

            Map<AccomplishmentId, Path> logicScripts = new TreeMap<>();
            scripts.forEach((id, file) -> {
                if (byLanguage.containsKey(id)) {
                    logicScripts.put(id, file);
                } else {
                    problems.add(new LoadProblem(file, "logic script for an unknown accomplishment " + id + "; ignored"));
                }
            });

            Map<AccomplishmentId, TestVectors> vectors = new TreeMap<>();
            testFiles.forEach((id, file) -> {
                if (!byLanguage.containsKey(id)) {
                    problems.add(new LoadProblem(file, "test vectors for an unknown accomplishment " + id + "; ignored"));
                    return;
                }
                parseFile(file, TestVectors::read).ifPresent(v -> vectors.put(id, v));
            });

            return new AccomplishmentCatalog(collections, byLanguage, items, logicScripts, vectors, problems,
                    warnings, clock.instant());
        }

        private Optional<String> disagreement(Accomplishment original, Accomplishment translated) {
            List<String> keys = new ArrayList<>();
            if (original.needsSigning() != translated.needsSigning()) {
                keys.add("needs-signing");
            }
            if (!Set.copyOf(original.needsInformation()).equals(Set.copyOf(translated.needsInformation()))) {
                keys.add("needs-information");
            }
            if (!Set.copyOf(original.depends()).equals(Set.copyOf(translated.depends()))) {
                keys.add("depends");
            }
            if (original.humanIssued() != translated.humanIssued()) {
                keys.add("human-issued");
            }
            return keys.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", keys));
        }

        /**
         * Reads one collection file and parses it as a key file the way Python 2 did (repeats: last wins), then
         * with {@code reader}. Any failure becomes a problem against that file; if it loads, each repeat becomes
         * a warning against it.
         */
        private <T> Optional<T> parseFile(Path file, java.util.function.Function<KeyFile, ParseResult<T>> reader) {
            ParseResult<KeyFile> keyFile = readBounded(file)
                    .flatMap(text -> KeyFile.parse(text, KeyFile.Duplicates.LAST_WINS));
            ParseResult<T> result = keyFile.flatMap(reader);
            if (result instanceof ParseResult.Malformed<T> malformed) {
                problems.add(new LoadProblem(file, malformed.reason()));
                return Optional.empty();
            }
            for (KeyFile.Duplicate duplicate : keyFile.orElseThrow().duplicates()) {
                warnings.add(new LoadWarning(file, duplicate.describe() + "; "
                        + (duplicate.key().isPresent() ? "the last value counts" : "the sections are merged")
                        + ", as with the 2012 server (Python 2 ConfigParser)"));
            }
            return result.asOptional();
        }

        private ParseResult<String> readBounded(Path file) {
            try {
                if (!Files.isRegularFile(file)) {
                    return ParseResult.malformed("not a regular file");
                }
                long size = Files.size(file);
                if (size > limits.maxFileBytes()) {
                    return ParseResult.malformed("larger than " + limits.maxFileBytes() + " bytes (" + size + ")");
                }
                byte[] bytes;
                try (InputStream in = Files.newInputStream(file)) {
                    bytes = in.readNBytes((int) limits.maxFileBytes() + 1);
                }
                if (bytes.length > limits.maxFileBytes()) {
                    return ParseResult.malformed("larger than " + limits.maxFileBytes() + " bytes");
                }
                return TextDecoding.strictUtf8(bytes);
            } catch (IOException | SecurityException e) {
                return ParseResult.malformed("unreadable: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }

        // ---- bounded directory listing -----------------------------------------------------------------

        private List<Path> directories(Path dir) {
            return entries(dir).stream().filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }

        /** Sorted entries of a directory, counted against the entry limit; problems recorded. */
        private List<Path> entries(Path dir) {
            List<Path> found = new ArrayList<>();
            if (exhausted) {
                return found;
            }
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path entry : stream) {
                    if (++entriesSeen > limits.maxEntries()) {
                        exhausted = true;
                        problems.add(new LoadProblem(dir, "more than " + limits.maxEntries()
                                + " entries in the collection roots; the rest is not loaded"));
                        break;
                    }
                    found.add(entry);
                }
            } catch (IOException | SecurityException e) {
                problems.add(new LoadProblem(dir, "unreadable folder: " + e.getClass().getSimpleName()));
            }
            found.sort(Comparator.comparing(p -> p.getFileName().toString()));
            return found;
        }
    }

    static boolean isExecutableRegularFile(Path file) {
        if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
            return false;
        }
        try {
            // Files.isExecutable is true for root on any file with one execute bit, but also asks the OS
            // for the current user only; require an execute bit explicitly where POSIX permissions exist.
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            return permissions.contains(PosixFilePermission.OWNER_EXECUTE)
                    || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                    || permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
