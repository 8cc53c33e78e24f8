package org.accomplishments.validator.signing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * Detached, armored OpenPGP signatures over exact bytes (a binary-document signature, type 0x00): what
 * {@code gpg --verify file.asc file} and {@code sqop verify file.asc cert < file} check. Used for the collection
 * store's index, where the signed bytes are a JSON file served as is, so no cleartext framing may touch them.
 *
 * <p>Verification follows {@link SignatureVerifier}'s rules (one signature, policy-approved digest and key, issuer
 * among the pinned keys, not older than its key) and never throws for hostile input.
 */
public final class DetachedSignatures {
    public static final int MAX_SIGNATURE_BYTES = 64 * 1024;

    private final SignatureHash hash;
    private final AlgorithmPolicy policy;
    private final Clock clock;

    public DetachedSignatures() {
        this(SignatureHash.defaultHash(), AlgorithmPolicy.standard(), Clock.systemUTC());
    }

    public DetachedSignatures(SignatureHash hash, AlgorithmPolicy policy, Clock clock) {
        this.hash = Objects.requireNonNull(hash, "hash");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The armored signature of {@code data} by {@code key}. */
    public String sign(SigningKey key, byte[] data) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(data, "data");
        Date createdAt = new Date(clock.instant().getEpochSecond() * 1000L);
        try {
            PGPSignatureGenerator generator = OpenPgp.signatureGenerator(key, hash, PGPSignature.BINARY_DOCUMENT, createdAt);
            generator.update(data);
            PGPSignature signature = generator.generate();
            return Armor.encode(signature::encode);
        } catch (PGPException e) {
            throw new IllegalStateException("signing with " + key + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether {@code armoredSignature} is one good binary-document signature over {@code data} by a pinned key. */
    public VerificationResult verify(byte[] data, String armoredSignature, PinnedKeys keys) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(armoredSignature, "armoredSignature");
        Objects.requireNonNull(keys, "keys");
        int size = armoredSignature.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_SIGNATURE_BYTES) {
            return new VerificationResult.TooLarge(size, MAX_SIGNATURE_BYTES);
        }
        try {
            return verifyParsed(data, armoredSignature, keys);
        } catch (RuntimeException e) {
            return new VerificationResult.BadSignature("unreadable signature: " + e.getClass().getSimpleName());
        }
    }

    private VerificationResult verifyParsed(byte[] data, String armoredSignature, PinnedKeys keys) {
        List<byte[]> blocks;
        try {
            blocks = Armor.decodeAll(armoredSignature, Armor.SIGNATURE);
        } catch (Armor.ArmorException e) {
            return new VerificationResult.BadSignature("not an armored OpenPGP signature: " + e.getMessage());
        }
        if (blocks.size() != 1) {
            return new VerificationResult.BadSignature("expected one armored signature block, found " + blocks.size());
        }
        List<PGPSignature> signatures = new ArrayList<>();
        try {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(blocks.get(0));
            for (int i = 0; ; i++) {
                Object next = factory.nextObject();
                if (next == null) {
                    break;
                }
                if (i >= 16) {
                    return new VerificationResult.BadSignature("too many packets in the signature block");
                }
                if (next instanceof PGPSignatureList list) {
                    list.forEach(signatures::add);
                } else if (!(next instanceof PGPMarker)) {
                    return new VerificationResult.BadSignature("the signature block holds a "
                            + next.getClass().getSimpleName() + ", not a signature");
                }
            }
        } catch (Exception e) {
            return new VerificationResult.BadSignature("unreadable signature packet: " + e.getMessage());
        }
        if (signatures.size() != 1) {
            return new VerificationResult.BadSignature("expected exactly one signature, found " + signatures.size());
        }
        PGPSignature signature = signatures.get(0);
        if (signature.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
            return new VerificationResult.BadSignature(String.format(
                    "a detached signature over a file must be of type 0x00, found 0x%02X", signature.getSignatureType()));
        }
        String hashName = AlgorithmPolicy.hashName(signature.getHashAlgorithm());
        if (!policy.acceptsSignatureHash(signature.getHashAlgorithm())) {
            return new VerificationResult.WeakHash(hashName);
        }
        PGPSignatureSubpacketVector hashedArea = signature.getHashedSubPackets();
        if (hashedArea == null || hashedArea.getSignatureCreationTime() == null) {
            return new VerificationResult.BadSignature("the signature has no hashed creation time");
        }
        Instant signedAt = hashedArea.getSignatureCreationTime().toInstant();
        List<byte[]> issuerFingerprints = new ArrayList<>();
        for (PGPSignatureSubpacketVector area : new PGPSignatureSubpacketVector[] {hashedArea,
                signature.getUnhashedSubPackets()}) {
            if (area != null) {
                for (var packet : area.getSubpackets(SignatureSubpacketTags.ISSUER_FINGERPRINT)) {
                    if (packet instanceof IssuerFingerprint issuer) {
                        issuerFingerprints.add(issuer.getFingerprint());
                    }
                }
            }
        }
        if (issuerFingerprints.isEmpty() && signature.getKeyID() == 0) {
            return new VerificationResult.BadSignature("the signature names no issuer");
        }
        List<PinnedKeys.Candidate> candidates = keys.issuers(issuerFingerprints, signature.getKeyID());
        if (candidates.isEmpty()) {
            return new VerificationResult.UnknownKey(signature.getKeyID() != 0 ? OpenPgp.keyIdHex(signature.getKeyID())
                    : "fingerprint " + org.bouncycastle.util.encoders.Hex.toHexString(issuerFingerprints.get(0)));
        }
        String lastFailure = "the signature does not match the data";
        for (PinnedKeys.Candidate candidate : candidates) {
            if (!policy.acceptsKey(candidate.key().getAlgorithm(), candidate.key().getBitStrength())) {
                return new VerificationResult.WeakKey(candidate.certificateFingerprint(), "a "
                        + candidate.key().getBitStrength() + "-bit key is below the policy's minimum");
            }
            if (signedAt.isBefore(candidate.key().getCreationTime().toInstant())) {
                lastFailure = "the signature claims to be older than its key";
                continue;
            }
            try {
                signature.init(OpenPgp.verifiers(), candidate.key());
                signature.update(data);
                if (signature.verify()) {
                    return new VerificationResult.Good("", candidate.certificateFingerprint(), signedAt, hashName);
                }
            } catch (PGPException | RuntimeException e) {
                lastFailure = "the signature cannot be checked with the key: " + e.getMessage();
            }
        }
        return new VerificationResult.BadSignature(lastFailure);
    }
}
