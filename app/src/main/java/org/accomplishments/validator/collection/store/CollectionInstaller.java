package org.accomplishments.validator.collection.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jgit.lib.ObjectId;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Installs collections from a signed store index into {@code <data-dir>/collections/<id>} (docs/collections.md,
 * "Installing"). Plain files only, so the CLI works beside a running service without its database:
 * <pre>
 * &lt;data-dir&gt;/collections/&lt;id&gt;            symbolic link to .store/&lt;id&gt;-&lt;version&gt;-&lt;commit&gt;-&lt;random&gt;
 * &lt;data-dir&gt;/collections/.store/...        the installed trees, each with its installed.json; staging folders
 * &lt;data-dir&gt;/collections.lock             the lock: highest serial seen per index URL, installed releases
 * &lt;data-dir&gt;/store-cache/               the last verified index (and signature) of each index URL
 * </pre>
 * An install is staged in full beside the installed trees and switched in by one atomic rename of the link, so an
 * interrupted install (kill -9, full disk) leaves the previous version in place. The order of the checks follows
 * TUF's lesson (tough CVE-2025-2888): nothing is cached or persisted before the signature, rollback and expiry
 * checks pass. Nothing of a collection runs during install.
 */
public final class CollectionInstaller {
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();
    static final String STORE_DIR = ".store";
    static final String RECORD = "installed.json";

    /** A collection installed from a store. */
    public record Installed(String id, String version, String sha256, String commit, String source, String index,
                            Instant installedAt) {
    }

    /** What an update did for one installed collection. */
    public record Updated(String id, String from, String to, Optional<Reason> refused) {
    }

    private final Path dataDir;
    private final Path collections;
    private final CollectionTree.Limits limits;
    private final Duration timeout;
    private final Clock clock;

    public CollectionInstaller(Path dataDir, CollectionTree.Limits limits, Duration timeout, Clock clock) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.collections = this.dataDir.resolve("collections");
        this.limits = limits;
        this.timeout = timeout;
        this.clock = clock;
    }

    public Path lockFile() {
        return dataDir.resolve("collections.lock");
    }

    // ---- the index ----

    /** Fetches, verifies and (only then) caches the index; the highest serial seen is persisted in the lock. */
    public StoreIndex refresh(String indexUrl, IndexSignatures.Verifier keys) throws StoreRefusal {
        return locked(() -> refreshLocked(indexUrl, keys));
    }

    private StoreIndex refreshLocked(String indexUrl, IndexSignatures.Verifier keys) throws StoreRefusal, IOException {
        byte[] json = fetch(indexUrl, StoreIndex.MAX_BYTES);
        byte[] asc = fetch(indexUrl + ".asc", 64 * 1024);
        IndexSignatures.Verdict good = keys.verify(json, new String(asc, StandardCharsets.UTF_8));
        if (!good.good()) {
            throw new StoreRefusal("untrusted-index", "the index of " + indexUrl + " is not signed by a pinned key "
                    + keys.fingerprints() + ": " + good.detail());
        }
        StoreIndex index = StoreIndex.parse(json);
        String sha = sha256(json);
        ObjectNode lock = readLock();
        JsonNode seen = lock.path("indexes").path(indexUrl);
        if (seen.has("serial")) {
            long highest = seen.get("serial").asLong();
            if (index.serial() < highest) {
                throw new StoreRefusal("rollback", "the index has serial " + index.serial() + ", but serial " + highest
                        + " was seen before: an older index replayed");
            }
            if (index.serial() == highest && !sha.equals(seen.path("sha256").asText())) {
                throw new StoreRefusal("rollback", "the index has serial " + index.serial()
                        + " like the one seen before, but other content");
            }
        }
        if (!clock.instant().isBefore(index.expires())) {
            throw new StoreRefusal("stale-index", "the index expired at " + index.expires() + " (serial " + index.serial()
                    + "); the store re-signs well before expiry, so this one is old or the store is down");
        }
        Optional<StoreIndex> previous = cachedLocked(indexUrl);
        ObjectNode entry = ((ObjectNode) lock.with("indexes")).putObject(indexUrl);
        entry.put("serial", index.serial());
        entry.put("sha256", sha);
        entry.put("key", good.fingerprint());
        entry.put("expires", index.expires().toString());
        entry.put("seen-at", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        // An id@version whose tree changed between two signed indexes is a registry misbehaving: keep the old pin.
        if (previous.isPresent()) {
            for (StoreIndex.Entry e : index.entries()) {
                Optional<StoreIndex.Entry> before = previous.get().find(e.id(), e.version());
                if (before.isPresent() && !before.get().sha256().equals(e.sha256())) {
                    throw new StoreRefusal("version-reuse", e.id() + "@" + e.version() + " was pinned to tree "
                            + before.get().sha256() + " and is now " + e.sha256());
                }
            }
        }
        writeLock(lock);
        Path cache = cacheFile(indexUrl);
        AtomicFiles.write(cache.resolveSibling(cache.getFileName() + ".asc"), asc);
        AtomicFiles.write(cache, json);
        return index;
    }

    /** The last verified index of {@code indexUrl}, if one was fetched before. */
    public Optional<StoreIndex> cached(String indexUrl) throws StoreRefusal {
        return locked(() -> cachedLocked(indexUrl));
    }

    private Optional<StoreIndex> cachedLocked(String indexUrl) throws StoreRefusal, IOException {
        Path cache = cacheFile(indexUrl);
        return Files.exists(cache) ? Optional.of(StoreIndex.parse(Files.readAllBytes(cache))) : Optional.empty();
    }

    // ---- install, update, remove, list ----

    /** Installs {@code id} at {@code version} (null: the latest) from the index, or says why not. */
    public Installed install(String indexUrl, IndexSignatures.Verifier keys, String id, String version) throws StoreRefusal {
        return locked(() -> {
            StoreIndex index = refreshLocked(indexUrl, keys);
            Optional<StoreIndex.Entry> found = version == null ? index.latest(id) : index.find(id, version);
            if (found.isEmpty()) {
                throw new StoreRefusal("not-in-index", id + (version == null ? "" : "@" + version) + " is not in the index of "
                        + indexUrl);
            }
            return installLocked(indexUrl, found.get());
        });
    }

    private Installed installLocked(String indexUrl, StoreIndex.Entry entry) throws StoreRefusal, IOException {
        Path link = collections.resolve(entry.id());
        Optional<Installed> current = recordOf(link);
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && current.isEmpty()) {
            throw new StoreRefusal("not-store-managed", link + " exists and was not installed from a store; move it away"
                    + " first (never replaced)");
        }
        if (current.isPresent() && current.get().version().equals(entry.version())) {
            if (current.get().sha256().equals(entry.sha256())) {
                return current.get();
            }
            throw new StoreRefusal("version-reuse", entry.id() + "@" + entry.version() + " is installed with tree "
                    + current.get().sha256() + "; the index now says " + entry.sha256());
        }
        cleanUp();
        Path staging = store().resolve(".staging-" + random());
        Files.createDirectories(staging);
        String name = entry.id() + "-" + entry.version() + "-" + entry.commit().substring(0, 12) + "-" + random();
        Path tree = store().resolve(name);
        try (GitSource git = GitSource.fetch(entry.source(), staging, timeout)) {
            Optional<ObjectId> commit = git.commitOf(ObjectId.fromString(entry.commit()));
            if (commit.isEmpty()) {
                throw new StoreRefusal("commit-missing", entry.source() + " no longer has commit " + entry.commit()
                        + " pinned for " + entry.id() + "@" + entry.version() + " (history rewritten?)");
            }
            CollectionTree read = CollectionTree.read(git.repository(), git.treeOf(commit.get()), limits);
            List<Reason> unsafe = new ArrayList<>();
            read.problems().forEach(p -> unsafe.add(new Reason("unsafe-entry", p.toString())));
            CollectionTree.Installable installable = read.installable(entry.id());
            installable.reasons().forEach(p -> unsafe.add(new Reason("unsafe-entry", p.toString())));
            if (!unsafe.isEmpty()) {
                throw new StoreRefusal(unsafe);
            }
            String sha = installable.canonicalSha256();
            if (!sha.equals(entry.sha256())) {
                throw new StoreRefusal("tree-hash-mismatch", "commit " + entry.commit() + " of " + entry.source()
                        + " has tree " + sha + ", the index pins " + entry.sha256());
            }
            Path stagedTree = staging.resolve("tree");
            installable.writeTo(stagedTree);
            Installed installed = new Installed(entry.id(), entry.version(), sha, entry.commit(), entry.source(), indexUrl,
                    clock.instant().truncatedTo(ChronoUnit.SECONDS));
            AtomicFiles.write(stagedTree.resolve(RECORD), recordJson(installed));
            Files.move(stagedTree, tree, StandardCopyOption.ATOMIC_MOVE);
            CollectionTree.fsyncDirectory(store());
            // The one switch: a new link renamed over the old one.
            Path newLink = collections.resolve("." + entry.id() + ".link-" + random());
            Files.createSymbolicLink(newLink, Path.of(STORE_DIR, name));
            Files.move(newLink, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            CollectionTree.fsyncDirectory(collections);
            writeInstalledIntoLock();
            return installed;
        } finally {
            GitSource.deleteTree(staging);
        }
    }

    /** Installs the latest version of every collection installed from {@code indexUrl}, where it is newer. */
    public List<Updated> update(String indexUrl, IndexSignatures.Verifier keys) throws StoreRefusal {
        return locked(() -> {
            StoreIndex index = refreshLocked(indexUrl, keys);
            List<Updated> results = new ArrayList<>();
            for (Installed installed : listLocked()) {
                if (!installed.index().equals(indexUrl)) {
                    continue;
                }
                Optional<StoreIndex.Entry> latest = index.latest(installed.id());
                if (latest.isEmpty() || latest.get().semver().compareTo(SemVer.parse(installed.version()).orElseThrow()) <= 0) {
                    continue;
                }
                try {
                    installLocked(indexUrl, latest.get());
                    results.add(new Updated(installed.id(), installed.version(), latest.get().version(), Optional.empty()));
                } catch (StoreRefusal r) {
                    results.add(new Updated(installed.id(), installed.version(), latest.get().version(),
                            Optional.of(r.reasons().get(0))));
                }
            }
            return results;
        });
    }

    /** Removes a store-installed collection; false when none of that id is installed. */
    public boolean remove(String id) throws StoreRefusal {
        return locked(() -> {
            Path link = collections.resolve(id);
            if (!isValidName(id) || recordOf(link).isEmpty()) {
                return false;
            }
            Files.delete(link);
            CollectionTree.fsyncDirectory(collections);
            writeInstalledIntoLock();
            cleanUp();
            return true;
        });
    }

    public List<Installed> list() throws StoreRefusal {
        return locked(this::listLocked);
    }

    private List<Installed> listLocked() throws IOException {
        List<Installed> found = new ArrayList<>();
        for (Path link : installedRoots(collections)) {
            recordOf(link).ifPresent(found::add);
        }
        return found;
    }

    /**
     * The store-installed collection roots under {@code collections} (each a link into {@code .store/}), sorted.
     * Read by the service at every reload; lists one folder, so it costs nothing to call often.
     */
    public static List<Path> installedRoots(Path collections) {
        List<Path> roots = new ArrayList<>();
        if (!Files.isDirectory(collections)) {
            return roots;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(collections)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") || !Files.isSymbolicLink(entry)) {
                    continue;
                }
                Path target = Files.readSymbolicLink(entry);
                if (target.getNameCount() == 2 && target.getName(0).toString().equals(STORE_DIR) && !target.isAbsolute()) {
                    roots.add(entry);
                }
            }
        } catch (IOException e) {
            return roots;
        }
        roots.sort(null);
        return roots;
    }

    /** What the links point at: changes exactly when an install, update or remove switched one. */
    public static String installedState(Path collections) {
        StringBuilder state = new StringBuilder();
        for (Path root : installedRoots(collections)) {
            try {
                state.append(root.getFileName()).append('=').append(Files.readSymbolicLink(root)).append('\n');
            } catch (IOException e) {
                state.append(root.getFileName()).append("=?\n");
            }
        }
        return state.toString();
    }

    // ---- helpers ----

    private Optional<Installed> recordOf(Path link) throws IOException {
        if (!Files.isSymbolicLink(link) || !installedRoots(collections).contains(link)) {
            return Optional.empty();
        }
        Path record = link.resolve(RECORD);
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        JsonNode node = CollectionManifest.JSON.readTree(Files.readAllBytes(record));
        return Optional.of(new Installed(node.path("id").asText(), node.path("version").asText(),
                node.path("sha256").asText(), node.path("commit").asText(), node.path("source").asText(),
                node.path("index").asText(), Instant.parse(node.path("installed-at").asText())));
    }

    private static byte[] recordJson(Installed i) {
        ObjectNode node = CollectionManifest.JSON.createObjectNode();
        node.put("id", i.id());
        node.put("version", i.version());
        node.put("sha256", i.sha256());
        node.put("commit", i.commit());
        node.put("source", i.source());
        node.put("index", i.index());
        node.put("installed-at", i.installedAt().toString());
        return pretty(node);
    }

    /** Trees no link points at (replaced or removed versions) and staging folders an interrupted install left. */
    private void cleanUp() throws IOException {
        Set<Path> inUse = new HashSet<>();
        for (Path root : installedRoots(collections)) {
            inUse.add(store().resolve(Files.readSymbolicLink(root).getFileName()));
        }
        if (!Files.isDirectory(store())) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(store())) {
            for (Path entry : entries) {
                if (!inUse.contains(entry) && !entry.getFileName().toString().equals(".install.lock")) {
                    GitSource.deleteTree(entry);
                }
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(collections, ".*.link-*")) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
        }
    }

    private ObjectNode readLock() throws IOException {
        if (!Files.exists(lockFile())) {
            ObjectNode fresh = CollectionManifest.JSON.createObjectNode();
            fresh.put("schema", 1);
            fresh.putObject("indexes");
            fresh.putObject("collections");
            return fresh;
        }
        return (ObjectNode) CollectionManifest.JSON.readTree(Files.readAllBytes(lockFile()));
    }

    private void writeLock(ObjectNode lock) throws IOException {
        AtomicFiles.write(lockFile(), pretty(lock));
    }

    /** The lock's "collections" are rewritten from the installed trees, which are the truth. */
    private void writeInstalledIntoLock() throws IOException {
        ObjectNode lock = readLock();
        ObjectNode installed = lock.putObject("collections");
        TreeMap<String, Installed> sorted = new TreeMap<>();
        listLocked().forEach(i -> sorted.put(i.id(), i));
        for (Installed i : sorted.values()) {
            ObjectNode node = installed.putObject(i.id());
            node.put("version", i.version());
            node.put("sha256", i.sha256());
            node.put("commit", i.commit());
            node.put("source", i.source());
            node.put("index", i.index());
            node.put("installed-at", i.installedAt().toString());
        }
        writeLock(lock);
    }

    private static byte[] pretty(JsonNode node) {
        try {
            return (CollectionManifest.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path store() {
        return collections.resolve(STORE_DIR);
    }

    private Path cacheFile(String indexUrl) {
        return dataDir.resolve("store-cache").resolve(sha256(indexUrl.getBytes(StandardCharsets.UTF_8)).substring(0, 32)
                + ".json");
    }

    private byte[] fetch(String url, int max) throws StoreRefusal {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            if (scheme.equals("file") || scheme.isEmpty()) {
                Path path = scheme.isEmpty() ? Path.of(url) : Path.of(uri);
                if (Files.size(path) > max) {
                    throw new StoreRefusal("index-unreachable", url + " is larger than " + max + " bytes");
                }
                return Files.readAllBytes(path);
            }
            if (!scheme.equals("https") && !scheme.equals("http")) {
                throw new StoreRefusal("index-unreachable", "an index is fetched over http(s) or from a file, not " + scheme);
            }
            HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new StoreRefusal("index-unreachable", url + " answered HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(max + 1);
                if (bytes.length > max) {
                    throw new StoreRefusal("index-unreachable", url + " is larger than " + max + " bytes");
                }
                return bytes;
            }
        } catch (StoreRefusal r) {
            throw r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreRefusal("index-unreachable", "interrupted fetching " + url);
        } catch (Exception e) {
            throw new StoreRefusal("index-unreachable", "cannot fetch " + url + ": " + e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static boolean isValidName(String id) {
        return id != null && id.matches("[a-z0-9][a-z0-9._+-]{0,63}") && !id.contains("..");
    }

    @FunctionalInterface
    private interface Locked<T> {
        T run() throws StoreRefusal, IOException;
    }

    /** One install at a time per data directory: across processes (the CLI beside the service) and threads. */
    private <T> T locked(Locked<T> action) throws StoreRefusal {
        IN_PROCESS.lock();
        try {
            Files.createDirectories(store());
            try (FileChannel channel = FileChannel.open(store().resolve(".install.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                return action.run();
            }
        } catch (IOException e) {
            throw new StoreRefusal("install-failed", e.toString());
        } finally {
            IN_PROCESS.unlock();
        }
    }
}
