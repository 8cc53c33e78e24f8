package org.accomplishments.validator.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;

/**
 * The keys whose signatures count, and no others: a verifier is given this set explicitly (the validator's
 * published keys, or the 2012 server's key), never "whatever is in a keyring".
 *
 * <p>Reads armored or binary public keys ({@code gpg --export [--armor]}), several keys in one file or several
 * armored blocks; secret keys are reduced to their public part. A primary key counts if its self-signatures
 * allow signing (or carry no key flags, as in keys from before flags existed); a subkey counts only when it is
 * bound to its primary for signing with a valid binding and back-signature. Expiry and revocation are not
 * evaluated: pinning is the trust decision, and trophies signed in 2012 must keep verifying with a key that
 * may have expired since. Remove a compromised key from the pinned set instead.
 */
public final class PinnedKeys {

    /** A key that may have made a signature, with the fingerprint of the certificate it belongs to. */
    record Candidate(PGPPublicKey key, String certificateFingerprint) {
    }

    private final List<PGPPublicKeyRing> certificates;
    private final List<Candidate> candidates;

    private PinnedKeys(List<PGPPublicKeyRing> certificates) {
        this.certificates = List.copyOf(certificates);
        List<Candidate> usable = new ArrayList<>();
        for (PGPPublicKeyRing certificate : this.certificates) {
            PGPPublicKey primary = certificate.getPublicKey();
            String fingerprint = OpenPgp.fingerprint(primary);
            if (OpenPgp.primaryMaySign(primary)) {
                usable.add(new Candidate(primary, fingerprint));
            }
            Iterator<PGPPublicKey> keys = certificate.getPublicKeys();
            while (keys.hasNext()) {
                PGPPublicKey key = keys.next();
                if (!key.isMasterKey() && OpenPgp.subkeyMaySign(primary, key)) {
                    usable.add(new Candidate(key, fingerprint));
                }
            }
        }
        this.candidates = List.copyOf(usable);
    }

    /**
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when it holds no OpenPGP key or malformed key data
     */
    public static PinnedKeys load(Path file) throws IOException {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when the text holds no OpenPGP key or malformed key data */
    public static PinnedKeys parse(String armored) {
        return parse(armored.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the data holds no OpenPGP key or malformed key data */
    public static PinnedKeys parse(byte[] armoredOrBinary) {
        Objects.requireNonNull(armoredOrBinary, "armoredOrBinary");
        List<Object> rings;
        try {
            rings = OpenPgp.readKeyRings(armoredOrBinary);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the pinned keys: " + e.getMessage(), e);
        }
        List<PGPPublicKeyRing> certificates = new ArrayList<>();
        for (Object ring : rings) {
            certificates.add(ring instanceof PGPSecretKeyRing secret ? secret.toCertificate() : (PGPPublicKeyRing) ring);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no OpenPGP public key found in the pinned keys");
        }
        return new PinnedKeys(certificates);
    }

    static PinnedKeys of(List<PGPPublicKeyRing> certificates) {
        return new PinnedKeys(certificates);
    }

    /** Primary-key fingerprints of the pinned certificates, 40 upper-case hex digits each. */
    public List<String> fingerprints() {
        return certificates.stream().map(c -> OpenPgp.fingerprint(c.getPublicKey())).toList();
    }

    /**
     * The pinned signing keys a signature names as issuer: by issuer fingerprint when the signature carries
     * one, else by the 64-bit key id.
     */
    List<Candidate> issuers(List<byte[]> issuerFingerprints, long issuerKeyId) {
        List<Candidate> found = new ArrayList<>();
        for (Candidate candidate : candidates) {
            boolean matches = issuerFingerprints.isEmpty()
                    ? candidate.key().getKeyID() == issuerKeyId
                    : issuerFingerprints.stream().anyMatch(f -> Arrays.equals(f, candidate.key().getFingerprint()));
            if (matches) {
                found.add(candidate);
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return "PinnedKeys" + fingerprints();
    }
}
