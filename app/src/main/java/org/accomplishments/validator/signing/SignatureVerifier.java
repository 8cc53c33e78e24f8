package org.accomplishments.validator.signing;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * Verifies a cleartext-signed trophy ({@code .trophy.asc}) against explicitly pinned keys.
 *
 * <p>Checks, in order: size; cleartext framing; exactly one signature packet; text signature type; digest
 * allowed by the {@link AlgorithmPolicy}; digest listed in the {@code Hash:} header when one is given; issuer
 * among the pinned signing keys; key size allowed; creation time not before the key's; the signature itself.
 * Hostile input never raises an exception: every failure is a {@link VerificationResult}.
 *
 * <p>Good means the signature covers {@link VerificationResult.Good#signedText()}, nothing more: the caller
 * still compares that text with the {@code .trophy} it belongs to, and checks the share binding.
 */
public final class SignatureVerifier {

    /** Trophies are a few hundred bytes; nothing legitimate comes near this. */
    public static final int MAX_INPUT_BYTES = 1024 * 1024;

    private static final int MAX_PACKETS = 16;

    private final AlgorithmPolicy policy;

    public SignatureVerifier() {
        this(AlgorithmPolicy.standard());
    }

    public SignatureVerifier(AlgorithmPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Verifies a message read as bytes (it must be UTF-8 text). */
    public VerificationResult verify(byte[] message, PinnedKeys keys) {
        Objects.requireNonNull(message, "message");
        if (message.length > MAX_INPUT_BYTES) {
            return new VerificationResult.TooLarge(message.length, MAX_INPUT_BYTES);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message))
                    .toString();
        } catch (CharacterCodingException e) {
            return new VerificationResult.NotCleartextSigned("not UTF-8 text (binary data?)");
        }
        return verify(text, keys);
    }

    public VerificationResult verify(String message, PinnedKeys keys) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(keys, "keys");
        // UTF-8 never takes fewer bytes than chars, so the cheap test first.
        if (message.length() > MAX_INPUT_BYTES) {
            return new VerificationResult.TooLarge(message.length(), MAX_INPUT_BYTES);
        }
        int size = message.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_INPUT_BYTES) {
            return new VerificationResult.TooLarge(size, MAX_INPUT_BYTES);
        }
        if (message.indexOf('\0') >= 0) {
            return new VerificationResult.NotCleartextSigned("contains NUL characters (binary data?)");
        }
        try {
            return verifyParsed(message, keys);
        } catch (RuntimeException e) {
            // Defence in depth: a parser bug must not turn hostile input into a crash of the caller.
            return new VerificationResult.NotCleartextSigned("unreadable: " + e.getClass().getSimpleName());
        }
    }

    private VerificationResult verifyParsed(String message, PinnedKeys keys) {
        Cleartext.Parsed parsed;
        try {
            parsed = Cleartext.parse(message);
        } catch (Armor.ArmorException e) {
            return new VerificationResult.NotCleartextSigned("not an OpenPGP cleartext signature: " + e.getMessage());
        }
        List<PGPSignature> signatures = new ArrayList<>();
        try {
            BcPGPObjectFactory factory = new BcPGPObjectFactory(parsed.signature());
            for (int i = 0; ; i++) {
                Object next = factory.nextObject();
                if (next == null) {
                    break;
                }
                if (i >= MAX_PACKETS) {
                    return new VerificationResult.NotCleartextSigned("too many packets in the signature block");
                }
                if (next instanceof PGPSignatureList list) {
                    list.forEach(signatures::add);
                } else if (!(next instanceof PGPMarker)) {
                    return new VerificationResult.NotCleartextSigned("the signature block holds a "
                            + next.getClass().getSimpleName() + ", not a signature");
                }
            }
        } catch (Exception e) {
            return new VerificationResult.NotCleartextSigned("unreadable signature packet: " + e.getMessage());
        }
        if (signatures.size() != 1) {
            // One signer per trophy: several signatures would need a rule for mixed outcomes, which nobody needs.
            return new VerificationResult.NotCleartextSigned("expected exactly one signature, found "
                    + signatures.size());
        }
        return check(signatures.get(0), parsed, keys);
    }

    private VerificationResult check(PGPSignature signature, Cleartext.Parsed parsed, PinnedKeys keys) {
        if (signature.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
            return new VerificationResult.BadSignature(String.format(
                    "a cleartext message needs a text signature (type 0x01), found type 0x%02X",
                    signature.getSignatureType()));
        }
        int hashAlgorithm = signature.getHashAlgorithm();
        String hashName = AlgorithmPolicy.hashName(hashAlgorithm);
        if (!policy.acceptsSignatureHash(hashAlgorithm)) {
            return new VerificationResult.WeakHash(hashName);
        }
        if (!parsed.hashNames().isEmpty() && !parsed.hashNames().contains(hashName)) {
            // gpg warns of a "signature digest conflict"; the header is what a reader was told, so it must agree.
            return new VerificationResult.BadSignature("the Hash header says " + parsed.hashNames()
                    + " but the signature uses " + hashName);
        }
        Instant signedAt = creationTime(signature);
        if (signedAt == null) {
            return new VerificationResult.BadSignature("the signature has no hashed creation time");
        }
        List<byte[]> issuerFingerprints = issuerFingerprints(signature);
        long issuerKeyId = signature.getKeyID();
        if (issuerFingerprints.isEmpty() && issuerKeyId == 0) {
            return new VerificationResult.BadSignature("the signature names no issuer");
        }
        List<PinnedKeys.Candidate> candidates = keys.issuers(issuerFingerprints, issuerKeyId);
        if (candidates.isEmpty()) {
            long keyId = issuerKeyId != 0 ? issuerKeyId : keyIdOfV4Fingerprint(issuerFingerprints.get(0));
            return new VerificationResult.UnknownKey(OpenPgp.keyIdHex(keyId));
        }
        String lastFailure = "the signature does not match the text";
        for (PinnedKeys.Candidate candidate : candidates) {
            if (!policy.acceptsKey(candidate.key().getAlgorithm(), candidate.key().getBitStrength())) {
                return new VerificationResult.WeakKey(candidate.certificateFingerprint(), "a "
                        + candidate.key().getBitStrength() + "-bit key of algorithm " + candidate.key().getAlgorithm()
                        + " is below the policy's minimum of " + policy.minimumKeyBits() + " bits");
            }
            if (signedAt.isBefore(candidate.key().getCreationTime().toInstant())) {
                lastFailure = "the signature claims to be older than its key";
                continue;
            }
            try {
                signature.init(OpenPgp.verifiers(), candidate.key());
                signature.update(Cleartext.canonical(parsed.bodyLines()));
                if (signature.verify()) {
                    return new VerificationResult.Good(Cleartext.presented(parsed.bodyLines()),
                            candidate.certificateFingerprint(), signedAt, hashName);
                }
            } catch (PGPException | RuntimeException e) {
                lastFailure = "the signature cannot be checked with the key: " + e.getMessage();
            }
        }
        return new VerificationResult.BadSignature(lastFailure);
    }

    /** v4 signatures must carry the creation time in the hashed area; v3 ones have it in the packet. */
    private static Instant creationTime(PGPSignature signature) {
        if (signature.getVersion() >= 4) {
            PGPSignatureSubpacketVector hashed = signature.getHashedSubPackets();
            if (hashed == null || hashed.getSignatureCreationTime() == null) {
                return null;
            }
            return hashed.getSignatureCreationTime().toInstant();
        }
        return signature.getCreationTime().toInstant();
    }

    private static List<byte[]> issuerFingerprints(PGPSignature signature) {
        List<byte[]> fingerprints = new ArrayList<>();
        for (PGPSignatureSubpacketVector area : new PGPSignatureSubpacketVector[] {
                signature.getHashedSubPackets(), signature.getUnhashedSubPackets()}) {
            if (area == null) {
                continue;
            }
            for (var packet : area.getSubpackets(SignatureSubpacketTags.ISSUER_FINGERPRINT)) {
                if (packet instanceof IssuerFingerprint issuer) {
                    fingerprints.add(issuer.getFingerprint());
                }
            }
        }
        return fingerprints;
    }

    /** A v4 key id is the low 64 bits of the fingerprint. */
    private static long keyIdOfV4Fingerprint(byte[] fingerprint) {
        long id = 0;
        for (int i = Math.max(0, fingerprint.length - 8); i < fingerprint.length; i++) {
            id = (id << 8) | (fingerprint[i] & 0xff);
        }
        return id;
    }

    @Override
    public String toString() {
        return "SignatureVerifier[" + policy + "]";
    }
}
