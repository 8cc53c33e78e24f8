package org.accomplishments.validator.signing;

import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.bouncycastle.bcpg.SecretKeyPacket;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validator's own OpenPGP keys, kept in one directory.
 *
 * <pre>
 * keys/                          0700
 *   keyring.properties           0600  which key is active, when others were retired (the commit point)
 *   &lt;FINGERPRINT&gt;.secret.asc     0600  one armored, unprotected transferable secret key per key
 *   .lock                        0600  empty; advisory lock between processes sharing the directory
 * </pre>
 *
 * <p>Exactly one key is ACTIVE and signs; earlier keys are RETIRED but kept and published, so trophies signed
 * before a rotation keep verifying against {@link #armoredAllPublicKeys()}. A new key file is written before
 * the metadata that names it, so a crash in between leaves an unused file, never metadata without its key.
 *
 * <p>Permissions: the directory is created (or tightened to) 0700. A secret key file that group or others can
 * access makes {@link #open} fail with {@link KeyringException} instead of silently repairing it: the key may
 * already have been copied, and only the operator can decide whether to trust it (chmod) or rotate.
 *
 * <p>Thread-safe. The active key is unlocked once and held in memory; {@link #active()} is a volatile read.
 * Changes ({@link #rotate}, {@link #importKey}) take an in-process monitor and a file lock, re-read the
 * metadata from disk first, and are then visible to this instance at once. Other processes sharing the
 * directory see them after {@link #reload()} (or a restart).
 */
public final class ValidationKeyring {

    static final String METADATA_FILE = "keyring.properties";
    static final String SECRET_SUFFIX = ".secret.asc";
    private static final String LOCK_FILE = ".lock";
    private static final Logger LOG = LoggerFactory.getLogger(ValidationKeyring.class);
    private static final Map<Path, Object> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final KeyringSettings settings;
    private final Clock clock;
    private final AlgorithmPolicy policy = AlgorithmPolicy.standard();
    private volatile State state;

    /** One key of the ring as loaded from disk. */
    private record Entry(PGPSecretKeyRing ring, KeyAlgorithm algorithm, Optional<Instant> retiredAt) {
        String fingerprint() {
            return OpenPgp.fingerprint(ring.getPublicKey());
        }

        PublishedKey published() {
            return new PublishedKey(fingerprint(), algorithm, ring.getPublicKey().getCreationTime().toInstant(),
                    retiredAt.isPresent() ? KeyStatus.RETIRED : KeyStatus.ACTIVE, retiredAt,
                    OpenPgp.armorPublic(List.of(ring.toCertificate())));
        }
    }

    /** An immutable snapshot: entries with the active one first, then retired ones, newest retirement first. */
    private record State(List<Entry> entries, SigningKey active) {
    }

    private ValidationKeyring(Path dir, KeyringSettings settings, Clock clock) {
        this.dir = dir;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Opens the keyring in {@code dir}, provisioning a first key if it holds none: the key configured for import
     * if any, else a new key of {@code settings.algorithm()}.
     *
     * @throws KeyringException when the directory or its keys cannot be used; the message says why
     */
    public static ValidationKeyring open(Path dir, KeyringSettings settings) {
        return open(dir, settings, Clock.systemUTC());
    }

    /** As {@link #open(Path, KeyringSettings)}, with the clock used for key creation and retirement times. */
    public static ValidationKeyring open(Path dir, KeyringSettings settings, Clock clock) {
        ValidationKeyring keyring = new ValidationKeyring(dir.toAbsolutePath().normalize(), settings, clock);
        keyring.locked(keyring::initialise);
        return keyring;
    }

    public Path directory() {
        return dir;
    }

    /** The key that signs now. */
    public SigningKey active() {
        return state.active();
    }

    /** All keys, the active one first, then retired ones, most recently retired first. */
    public List<PublishedKey> keys() {
        return state.entries().stream().map(Entry::published).toList();
    }

    /** @throws KeyringException when no key of the ring has this fingerprint */
    public String armoredPublicKey(String fingerprint) {
        return state.entries().stream()
                .filter(e -> e.fingerprint().equalsIgnoreCase(fingerprint.strip()))
                .findFirst()
                .map(e -> OpenPgp.armorPublic(List.of(e.ring().toCertificate())))
                .orElseThrow(() -> new KeyringException("no validation key has the fingerprint " + fingerprint));
    }

    public String armoredActivePublicKey() {
        return armoredPublicKey(active().fingerprint());
    }

    /** Every key, active and retired, in one armored block: what a verifier of this server's trophies pins. */
    public String armoredAllPublicKeys() {
        return OpenPgp.armorPublic(state.entries().stream().map(e -> e.ring().toCertificate()).toList());
    }

    /** The same keys as {@link #armoredAllPublicKeys()}, ready for {@link SignatureVerifier#verify}. */
    public PinnedKeys pinnedKeys() {
        return PinnedKeys.of(state.entries().stream().map(e -> e.ring().toCertificate()).toList());
    }

    /** Generates a key that becomes active; the previous active key is retired and stays published. */
    public PublishedKey rotate(KeyAlgorithm algorithm) {
        return locked(() -> {
            State current = load();
            PGPSecretKeyRing ring = OpenPgp.generate(algorithm, settings.userId(), keyCreationTime());
            Entry added = new Entry(ring, algorithm, Optional.empty());
            return activate(current, added);
        });
    }

    /** Imports an unprotected secret key (armored or binary) from a file and makes it active. */
    public PublishedKey importKey(Path file) {
        try {
            return importKey(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new KeyringException("cannot read the key to import from " + file + ": " + e.getMessage(), e);
        }
    }

    /** Imports an unprotected, ASCII-armored secret key and makes it active. */
    public PublishedKey importKey(String armored) {
        return importKey(armored.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Imports an unprotected secret key (armored or binary) and makes it active; the previous active key is
     * retired. Importing a key the ring already holds makes that key active again.
     */
    public PublishedKey importKey(byte[] keyMaterial) {
        PGPSecretKeyRing ring = parseImport(keyMaterial);
        KeyAlgorithm algorithm = checkUsable(ring, "the key to import");
        unlock(ring, "the key to import");
        return locked(() -> activate(load(), new Entry(ring, algorithm, Optional.empty())));
    }

    /** Re-reads the directory, e.g. after another process sharing it rotated the key. */
    public void reload() {
        locked(() -> {
            state = load();
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------------------

    private Void initialise() throws IOException {
        if (KeyFiles.prepareDirectory(dir)) {
            LOG.warn("Tightened the permissions of the key directory {} to rwx------", dir);
        }
        KeyFiles.removeStaleTemporaryFiles(dir);
        if (Files.exists(dir.resolve(METADATA_FILE))) {
            state = load();
            noteIgnoredImport();
            return null;
        }
        List<Path> orphans = secretFiles();
        if (orphans.size() == 1) {
            // A first start that crashed after writing the key but before the metadata, or an operator who
            // dropped one key file in: adopt it rather than make a second key.
            Path only = orphans.get(0);
            KeyFiles.requireOwnerOnly(only);
            PGPSecretKeyRing ring = readSecretFile(only);
            KeyAlgorithm algorithm = checkUsable(ring, only.toString());
            requireNamedAfter(only, ring);
            LOG.info("Adopting the key file {} as the active validation key", only.getFileName());
            activate(new State(List.of(), null), new Entry(ring, algorithm, Optional.empty()));
            return null;
        }
        if (orphans.size() > 1) {
            throw new KeyringException("the key directory " + dir + " holds " + orphans.size() + " key files but no "
                    + METADATA_FILE + "; cannot tell which key is active. Keep one key file, or restore "
                    + METADATA_FILE + ".");
        }
        Entry first;
        if (settings.importFile().isPresent() || settings.importArmored().isPresent()) {
            String source = settings.importFile().map(p -> "the key file " + p).orElse("the configured armored key");
            byte[] material = settings.importFile().isPresent()
                    ? readImportFile(settings.importFile().get())
                    : settings.importArmored().get().getBytes(StandardCharsets.UTF_8);
            PGPSecretKeyRing ring = parseImport(material);
            first = new Entry(ring, checkUsable(ring, source), Optional.empty());
            LOG.info("Imported the validation key {} from {}", first.fingerprint(), source);
        } else {
            PGPSecretKeyRing ring = OpenPgp.generate(settings.algorithm(), settings.userId(), keyCreationTime());
            first = new Entry(ring, settings.algorithm(), Optional.empty());
            LOG.info("Generated the validation key {} ({})", first.fingerprint(), settings.algorithm());
        }
        activate(new State(List.of(), null), first);
        return null;
    }

    private void noteIgnoredImport() {
        if (settings.importFile().isPresent() || settings.importArmored().isPresent()) {
            LOG.warn("A key to import is configured, but {} already holds keys (active: {}); the configured key is "
                    + "not imported. Use the 'keys import' command to change the active key.", dir,
                    state.active().fingerprint());
        }
    }

    /** Persists {@code added} as the active key (key file first, then metadata), retiring the previous one. */
    private PublishedKey activate(State current, Entry added) throws IOException {
        Instant now = clock.instant();
        String fingerprint = added.fingerprint();
        List<Entry> entries = new ArrayList<>();
        entries.add(added);
        for (Entry entry : current.entries()) {
            if (entry.fingerprint().equals(fingerprint)) {
                continue;
            }
            entries.add(entry.retiredAt().isPresent() ? entry : new Entry(entry.ring(), entry.algorithm(),
                    Optional.of(now)));
        }
        Path keyFile = dir.resolve(fingerprint + SECRET_SUFFIX);
        if (!Files.exists(keyFile)) {
            KeyFiles.writeAtomically(keyFile, OpenPgp.armorSecret(added.ring()).getBytes(StandardCharsets.US_ASCII));
        }
        writeMetadata(entries, fingerprint);
        State next = new State(sorted(entries), unlock(added.ring(), keyFile.toString()));
        state = next;
        return next.entries().get(0).published();
    }

    private State load() throws IOException {
        Properties metadata = new Properties();
        try {
            metadata.load(new StringReader(Files.readString(dir.resolve(METADATA_FILE), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            throw new KeyringException("the key directory " + dir + " has no " + METADATA_FILE, e);
        }
        String active = metadata.getProperty("active", "").strip();
        if (!active.matches("[0-9A-F]{40}")) {
            throw new KeyringException(dir.resolve(METADATA_FILE) + " names no valid active key (active=" + active
                    + ")");
        }
        List<Entry> entries = new ArrayList<>();
        Entry activeEntry = null;
        for (String name : metadata.stringPropertyNames()) {
            if (!name.startsWith("key.") || !name.endsWith(".added")) {
                continue;
            }
            String fingerprint = name.substring(4, name.length() - 6);
            if (!fingerprint.matches("[0-9A-F]{40}")) {
                throw new KeyringException(dir.resolve(METADATA_FILE) + " has a malformed entry " + name);
            }
            Path file = dir.resolve(fingerprint + SECRET_SUFFIX);
            KeyFiles.requireOwnerOnly(file);
            PGPSecretKeyRing ring = readSecretFile(file);
            requireNamedAfter(file, ring);
            Optional<Instant> retiredAt = Optional.ofNullable(metadata.getProperty("key." + fingerprint
                    + ".retired-at")).map(value -> parseInstant(value, fingerprint));
            Entry entry;
            if (fingerprint.equals(active)) {
                entry = new Entry(ring, checkUsable(ring, file.toString()), Optional.empty());
                activeEntry = entry;
            } else {
                // A retired key only has to verify, not sign, so it is not checked again.
                KeyAlgorithm algorithm = OpenPgp.algorithmOf(ring.getPublicKey()).orElseThrow(() ->
                        new KeyringException("the retired key file " + file + " is not an Ed25519 or RSA-3072 key"));
                entry = new Entry(ring, algorithm, Optional.of(retiredAt.orElse(Instant.EPOCH)));
            }
            entries.add(entry);
        }
        if (activeEntry == null) {
            throw new KeyringException(dir.resolve(METADATA_FILE) + " names the active key " + active
                    + " but lists no such key");
        }
        return new State(sorted(entries), unlock(activeEntry.ring(), dir.resolve(active + SECRET_SUFFIX).toString()));
    }

    private static Instant parseInstant(String value, String fingerprint) {
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new KeyringException("malformed retirement time for key " + fingerprint + ": " + value, e);
        }
    }

    private static List<Entry> sorted(List<Entry> entries) {
        return entries.stream()
                .sorted(Comparator.comparing((Entry e) -> e.retiredAt().isPresent())
                        .thenComparing(e -> e.retiredAt().orElse(Instant.MAX), Comparator.reverseOrder())
                        .thenComparing(Entry::fingerprint))
                .toList();
    }

    private void writeMetadata(List<Entry> entries, String active) throws IOException {
        Map<String, String> lines = new TreeMap<>();
        for (Entry entry : entries) {
            String fingerprint = entry.fingerprint();
            lines.put("key." + fingerprint + ".added", "true");
            lines.put("key." + fingerprint + ".algorithm", entry.algorithm().name());
            entry.retiredAt().ifPresent(at -> lines.put("key." + fingerprint + ".retired-at", at.toString()));
        }
        StringBuilder text = new StringBuilder()
                .append("# Validation keys of accomplishments-validator. Written by the service; edit with care.\n")
                .append("# active: the key that signs new trophies. Retired keys stay published so that\n")
                .append("# trophies they signed keep verifying. Each key lives in <fingerprint>.secret.asc.\n")
                .append("format=1\n")
                .append("active=").append(active).append('\n');
        lines.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        KeyFiles.writeAtomically(dir.resolve(METADATA_FILE), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private List<Path> secretFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SECRET_SUFFIX)).sorted().toList();
        }
    }

    private PGPSecretKeyRing readSecretFile(Path file) {
        try {
            List<Object> rings = OpenPgp.readKeyRings(Files.readAllBytes(file));
            if (rings.size() != 1 || !(rings.get(0) instanceof PGPSecretKeyRing ring)) {
                throw new KeyringException("the key file " + file + " does not hold exactly one secret key");
            }
            return ring;
        } catch (IOException e) {
            throw new KeyringException("cannot read the key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void requireNamedAfter(Path file, PGPSecretKeyRing ring) {
        String expected = OpenPgp.fingerprint(ring.getPublicKey()) + SECRET_SUFFIX;
        if (!file.getFileName().toString().equals(expected)) {
            throw new KeyringException("the key file " + file + " holds the key " + expected.replace(SECRET_SUFFIX, "")
                    + "; key files must be named <fingerprint>" + SECRET_SUFFIX);
        }
    }

    private static byte[] readImportFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new KeyringException("cannot read the key to import from " + file + ": " + e.getMessage(), e);
        }
    }

    private static PGPSecretKeyRing parseImport(byte[] material) {
        List<Object> rings;
        try {
            rings = OpenPgp.readKeyRings(material);
        } catch (IOException e) {
            throw new KeyringException("the key to import is not OpenPGP key data: " + e.getMessage(), e);
        }
        List<PGPSecretKeyRing> secret = rings.stream().filter(PGPSecretKeyRing.class::isInstance)
                .map(PGPSecretKeyRing.class::cast).toList();
        if (secret.isEmpty()) {
            throw new KeyringException("the key to import holds no secret key (export it with "
                    + "'gpg --export-secret-keys --armor <fingerprint>', not --export)");
        }
        if (secret.size() > 1) {
            throw new KeyringException("the key to import holds " + secret.size() + " secret keys; import one");
        }
        return secret.get(0);
    }

    /**
     * Checks that a key can sign trophies that gpg 2.2 and sqop 0.27 verify, and returns its algorithm.
     * The primary key signs: no subkeys are used, so the pinned and the signing fingerprint are the same.
     */
    private KeyAlgorithm checkUsable(PGPSecretKeyRing ring, String source) {
        PGPPublicKey primary = ring.getPublicKey();
        String fingerprint = OpenPgp.fingerprint(primary);
        KeyAlgorithm algorithm = OpenPgp.algorithmOf(primary).orElseThrow(() -> new KeyringException(source
                + " (" + fingerprint + ") is not a v4 Ed25519 (legacy EdDSA) or RSA-3072 key; only those verify with"
                + " gpg 2.2 and sqop 0.27 (found version " + primary.getVersion() + ", algorithm "
                + primary.getAlgorithm() + ", " + primary.getBitStrength() + " bits)"));
        if (primary.hasRevocation()) {
            throw new KeyringException(source + " (" + fingerprint + ") is revoked");
        }
        long validSeconds = primary.getValidSeconds();
        if (validSeconds > 0 && primary.getCreationTime().toInstant().plusSeconds(validSeconds)
                .isBefore(clock.instant())) {
            throw new KeyringException(source + " (" + fingerprint + ") has expired");
        }
        if (!OpenPgp.primaryMaySign(primary)) {
            throw new KeyringException(source + " (" + fingerprint + ") has a primary key that may not sign data; "
                    + "the validator signs with the primary key");
        }
        if (!OpenPgp.hasValidSelfCertification(primary, policy)) {
            throw new KeyringException(source + " (" + fingerprint + ") has no valid user id self-signature over "
                    + "SHA-2; gpg and sqop would not accept signatures from it");
        }
        PGPSecretKey secret = ring.getSecretKey();
        if (secret == null || secret.isPrivateKeyEmpty()) {
            throw new KeyringException(source + " (" + fingerprint + ") holds no secret primary key material "
                    + "(a stub from 'gpg --export-secret-subkeys'?)");
        }
        if (secret.getS2KUsage() != SecretKeyPacket.USAGE_NONE) {
            throw new KeyringException(source + " (" + fingerprint + ") is protected by a passphrase. The validator "
                    + "signs unattended, so its key is protected by file permissions instead: remove the "
                    + "passphrase ('gpg --edit-key <fingerprint> passwd' with an empty passphrase, or export with "
                    + "'gpg --export-secret-keys --armor' after doing so) and import again.");
        }
        return algorithm;
    }

    private SigningKey unlock(PGPSecretKeyRing ring, String source) {
        KeyAlgorithm algorithm = checkUsable(ring, source);
        try {
            PGPPrivateKey privateKey = ring.getSecretKey().extractPrivateKey(null);
            if (privateKey == null) {
                throw new KeyringException(source + " holds no usable secret key");
            }
            return new SigningKey(algorithm, ring.getPublicKey(), privateKey);
        } catch (PGPException | RuntimeException e) {
            if (e instanceof KeyringException keyringException) {
                throw keyringException;
            }
            throw new KeyringException("cannot unlock " + source + ": " + e.getMessage(), e);
        }
    }

    /** Key creation times are whole seconds in OpenPGP; take them from the clock so tests can fix them. */
    private Date keyCreationTime() {
        return new Date(clock.instant().getEpochSecond() * 1000L);
    }

    @FunctionalInterface
    private interface Action<T> {
        T run() throws IOException;
    }

    /** Runs under an in-process monitor and an exclusive file lock on {@code .lock}. */
    private <T> T locked(Action<T> action) {
        Object monitor = IN_PROCESS_LOCKS.computeIfAbsent(dir, d -> new Object());
        synchronized (monitor) {
            try {
                KeyFiles.prepareDirectory(dir);
                try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE),
                        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), KeyFiles.ownerOnlyFile(dir));
                     FileLock ignored = channel.lock()) {
                    return action.run();
                }
            } catch (IOException e) {
                throw new KeyringException("I/O error in the key directory " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        State current = state;
        return "ValidationKeyring[" + dir + ", active=" + (current == null ? "none" : current.active()) + "]";
    }
}
