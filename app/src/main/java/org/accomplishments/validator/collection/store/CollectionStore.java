package org.accomplishments.validator.collection.store;

import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The store role: checks submissions and keeps the one signed index, its only state
 * ({@code <data-dir>/store/index.json} and {@code index.json.asc}, each replaced atomically). Nothing of a submitted
 * repository runs here: it is fetched with JGit, read object by object and loaded by the collection loader.
 *
 * <p>The index and its signature are served from one in-memory pair, so a reader never gets an index with the
 * signature of another. At start a pair that does not verify with the keyring (a crash between the two writes, a
 * rotated key) is re-signed under a new serial.
 */
public final class CollectionStore {
    private static final Logger LOG = LoggerFactory.getLogger(CollectionStore.class);

    /** The published index: the exact bytes and their detached armored signature. */
    public record Published(StoreIndex index, byte[] json, String signature, String signedBy) {
    }

    private final Path dir;
    private final IndexSignatures signatures;
    private final Duration validity;
    private final CollectionTree.Limits limits;
    private final Duration fetchTimeout;
    private final Clock clock;
    private volatile Published current;

    public CollectionStore(Path dataDir, IndexSignatures signatures, Duration validity,
                           CollectionTree.Limits limits, Duration fetchTimeout, Clock clock) {
        this.dir = dataDir.resolve("store");
        this.signatures = Objects.requireNonNull(signatures);
        this.validity = validity;
        this.limits = limits;
        this.fetchTimeout = fetchTimeout;
        this.clock = clock;
    }

    public Path indexFile() {
        return dir.resolve("index.json");
    }

    /** The published index, loading (or first creating, empty) it on first use. */
    public synchronized Published published() {
        if (current == null) {
            current = load();
        }
        return current;
    }

    /** Submits {@code ref} of {@code source}: the index entry, or every reason it was refused. */
    public StoreIndex.Entry submit(String source, String ref) throws StoreRefusal {
        if (source == null || source.isBlank()) {
            throw new StoreRefusal("unsupported-source", "'source' is missing");
        }
        if (ref == null || ref.isBlank() || ref.length() > 255 || ref.startsWith("-") || ref.contains("..")) {
            throw new StoreRefusal("ref-not-found", "'ref' must be a branch, tag or commit id, not '" + ref + "'");
        }
        Path work = dir.resolve("work");
        try (GitSource git = GitSource.fetch(source, work, fetchTimeout)) {
            Optional<ObjectId> commit = git.resolve(ref);
            if (commit.isEmpty()) {
                throw new StoreRefusal("ref-not-found", "'" + ref + "' is no branch, tag or commit of " + source);
            }
            CollectionTree tree = CollectionTree.read(git.repository(), git.treeOf(commit.get()), limits);
            SubmissionCheck.Checked checked = SubmissionCheck.check(tree, work);
            return record(source, ref, commit.get().name(), checked);
        } catch (IOException e) {
            throw new StoreRefusal("fetch-failed", "reading " + source + " failed: " + e.getMessage());
        }
    }

    private synchronized StoreIndex.Entry record(String source, String ref, String commit, SubmissionCheck.Checked checked)
            throws StoreRefusal, IOException {
        StoreIndex index = published().index();
        CollectionManifest m = checked.manifest();
        Optional<StoreIndex.Entry> same = index.find(m.id(), m.version());
        if (same.isPresent()) {
            if (same.get().sha256().equals(checked.sha256())) {
                return same.get(); // the same release submitted again: nothing changes
            }
            throw new StoreRefusal("version-reused", m.id() + "@" + m.version() + " is already in the index with tree "
                    + same.get().sha256() + " (commit " + same.get().commit() + "); this tree is " + checked.sha256()
                    + ". A released version never changes: raise the version");
        }
        StoreIndex.Entry entry = new StoreIndex.Entry(m.id(), m.version(), m.name(), m.description(), m.author(),
                m.license(), m.homepage(), source, ref, commit, checked.sha256(), checked.files(), checked.bytes(),
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        List<StoreIndex.Entry> entries = new ArrayList<>(index.entries());
        entries.add(entry);
        publish(index, entries);
        LOG.info("store: accepted {}@{} from {} at {} (commit {}, {} files, tree {})", m.id(), m.version(), source, ref,
                commit, checked.files(), checked.sha256());
        return entry;
    }

    /** Re-signs under a new serial when less than half the validity is left or the active key changed. */
    public synchronized boolean resignIfDue() throws IOException {
        Published now = published();
        Instant halfLeft = now.index().expires().minus(validity.dividedBy(2));
        if (clock.instant().isBefore(halfLeft) && now.signedBy().equals(signatures.activeFingerprint())) {
            return false;
        }
        publish(now.index(), now.index().entries());
        return true;
    }

    private void publish(StoreIndex previous, List<StoreIndex.Entry> entries) throws IOException {
        Instant generated = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        StoreIndex next = previous.with(previous.serial() + 1, generated, generated.plus(validity), entries);
        byte[] json = next.toJson();
        IndexSignatures.Signed signed = signatures.sign(json);
        String signature = signed.armored();
        // The index first: a crash before the signature is written leaves a pair load() re-signs.
        AtomicFiles.write(indexFile(), json);
        AtomicFiles.write(dir.resolve("index.json.asc"), signature.getBytes(StandardCharsets.US_ASCII));
        current = new Published(next, json, signature, signed.fingerprint());
    }

    private Published load() {
        try {
            Path json = indexFile();
            Path asc = dir.resolve("index.json.asc");
            if (!Files.exists(json)) {
                StoreIndex empty = new StoreIndex(0, Instant.EPOCH, Instant.EPOCH, List.of());
                publish(empty, List.of());
                return current;
            }
            byte[] bytes = Files.readAllBytes(json);
            StoreIndex index = StoreIndex.parse(bytes);
            if (Files.exists(asc)) {
                String signature = Files.readString(asc, StandardCharsets.US_ASCII);
                IndexSignatures.Verdict verdict = signatures.ownKeys().verify(bytes, signature);
                if (verdict.good()) {
                    return new Published(index, bytes, signature, verdict.fingerprint());
                }
                LOG.warn("store: the saved index signature does not verify ({}); re-signing", verdict.detail());
            }
            publish(index, index.entries());
            return current;
        } catch (IOException | StoreRefusal e) {
            throw new IllegalStateException("store: cannot load " + indexFile() + ": " + e.getMessage(), e);
        }
    }
}
