package org.accomplishments.validator.signing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gnu.GNUObjectIdentifiers;
import org.bouncycastle.bcpg.EdDSAPublicBCPGKey;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.KeyFingerPrintCalculator;
import org.bouncycastle.openpgp.operator.PGPKeyPairGenerator;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPairGeneratorProvider;

/** Bouncy Castle plumbing shared by the keyring, the signer and the verifier. */
final class OpenPgp {

    static final KeyFingerPrintCalculator FINGERPRINTS = new BcKeyFingerprintCalculator();

    /** Legacy EdDSA keys name their curve by this OID (1.3.6.1.4.1.11591.15.1, "Ed25519"). */
    private static final ASN1ObjectIdentifier ED25519_LEGACY_OID = GNUObjectIdentifiers.Ed25519;

    /** Bounds the packets read from one input, so a crafted file cannot keep the parser busy. */
    private static final int MAX_OBJECTS = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private OpenPgp() {
    }

    private static final BcPGPContentVerifierBuilderProvider VERIFIERS = new BcPGPContentVerifierBuilderProvider();

    /**
     * A signature generator of {@code type} by {@code key}, with the subpackets every signature of the appliance
     * carries: creation time and issuer fingerprint (hashed), issuer key id (unhashed, for older verifiers).
     */
    static org.bouncycastle.openpgp.PGPSignatureGenerator signatureGenerator(SigningKey key, SignatureHash hash,
            int type, Date createdAt) throws PGPException {
        org.bouncycastle.openpgp.PGPSignatureGenerator generator = new org.bouncycastle.openpgp.PGPSignatureGenerator(
                new org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder(key.publicKey().getAlgorithm(),
                        hash.openPgpId()), key.publicKey());
        generator.init(type, key.privateKey());
        org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator hashed =
                new org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, createdAt);
        hashed.setIssuerFingerprint(false, key.publicKey());
        generator.setHashedSubpackets(hashed.generate());
        org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator unhashed =
                new org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator();
        unhashed.setIssuerKeyID(false, key.publicKey().getKeyID());
        generator.setUnhashedSubpackets(unhashed.generate());
        return generator;
    }

    static BcPGPContentVerifierBuilderProvider verifiers() {
        return VERIFIERS;
    }

    /**
     * Whether a primary key may make data signatures: its self-signatures either grant SIGN_DATA or carry no
     * key flags at all (keys from before key flags existed could sign by default).
     */
    static boolean primaryMaySign(PGPPublicKey primary) {
        boolean sawFlags = false;
        Iterator<PGPSignature> signatures = primary.getSignatures();
        while (signatures.hasNext()) {
            PGPSignature signature = signatures.next();
            if (signature.getKeyID() != primary.getKeyID() || !isSelfCertification(signature.getSignatureType())
                    || signature.getHashedSubPackets() == null) {
                continue;
            }
            int flags = signature.getHashedSubPackets().getKeyFlags();
            if (signature.getHashedSubPackets().hasSubpacket(SignatureSubpacketTags.KEY_FLAGS)) {
                sawFlags = true;
                if ((flags & KeyFlags.SIGN_DATA) != 0) {
                    return true;
                }
            }
        }
        return !sawFlags;
    }

    private static boolean isSelfCertification(int type) {
        return type == PGPSignature.POSITIVE_CERTIFICATION || type == PGPSignature.CASUAL_CERTIFICATION
                || type == PGPSignature.NO_CERTIFICATION || type == PGPSignature.DEFAULT_CERTIFICATION
                || type == PGPSignature.DIRECT_KEY;
    }

    /**
     * Whether some user id carries a cryptographically valid self-certification over a hash the policy accepts.
     * Sequoia ignores user ids certified over SHA-1, and a key without a valid binding is not a key gpg imports.
     */
    static boolean hasValidSelfCertification(PGPPublicKey primary, AlgorithmPolicy policy) {
        Iterator<String> userIds = primary.getUserIDs();
        while (userIds.hasNext()) {
            String userId = userIds.next();
            Iterator<PGPSignature> signatures = primary.getSignaturesForID(userId);
            while (signatures != null && signatures.hasNext()) {
                PGPSignature signature = signatures.next();
                if (signature.getKeyID() != primary.getKeyID() || !isSelfCertification(signature.getSignatureType())
                        || !policy.acceptsSignatureHash(signature.getHashAlgorithm())) {
                    continue;
                }
                try {
                    signature.init(VERIFIERS, primary);
                    if (signature.verifyCertification(userId, primary)) {
                        return true;
                    }
                } catch (PGPException | RuntimeException e) {
                    // a broken certification does not count
                }
            }
        }
        return false;
    }

    /**
     * Whether a subkey is bound to its primary for signing: a valid subkey binding signature by the primary
     * that grants SIGN_DATA and embeds a valid primary-key binding signature made by the subkey (the
     * "back-signature" that stops anyone from attaching someone else's signing key to their certificate).
     */
    static boolean subkeyMaySign(PGPPublicKey primary, PGPPublicKey subkey) {
        Iterator<PGPSignature> bindings = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
        while (bindings.hasNext()) {
            PGPSignature binding = bindings.next();
            try {
                if (binding.getHashedSubPackets() == null
                        || (binding.getHashedSubPackets().getKeyFlags() & KeyFlags.SIGN_DATA) == 0) {
                    continue;
                }
                binding.init(VERIFIERS, primary);
                if (!binding.verifyCertification(primary, subkey)) {
                    continue;
                }
                for (PGPSignatureList embedded : List.of(binding.getHashedSubPackets().getEmbeddedSignatures(),
                        binding.getUnhashedSubPackets() == null ? new PGPSignatureList(new PGPSignature[0])
                                : binding.getUnhashedSubPackets().getEmbeddedSignatures())) {
                    for (PGPSignature back : embedded) {
                        if (back.getSignatureType() != PGPSignature.PRIMARYKEY_BINDING) {
                            continue;
                        }
                        back.init(VERIFIERS, subkey);
                        if (back.verifyCertification(primary, subkey)) {
                            return true;
                        }
                    }
                }
            } catch (PGPException | RuntimeException e) {
                // a broken binding does not count
            }
        }
        return false;
    }

    static String fingerprint(PGPPublicKey key) {
        return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
    }

    static String keyIdHex(long keyId) {
        return String.format(Locale.ROOT, "%016X", keyId);
    }

    /** Which of our algorithms a key is, if it is one of them (v4 only: see {@link KeyAlgorithm}). */
    static Optional<KeyAlgorithm> algorithmOf(PGPPublicKey key) {
        if (key.getVersion() != PublicKeyPacket.VERSION_4) {
            return Optional.empty();
        }
        int algorithm = key.getAlgorithm();
        if (algorithm == PublicKeyAlgorithmTags.EDDSA_LEGACY
                && key.getPublicKeyPacket().getKey() instanceof EdDSAPublicBCPGKey ed
                && ED25519_LEGACY_OID.equals(ed.getCurveOID())) {
            return Optional.of(KeyAlgorithm.ED25519);
        }
        if ((algorithm == PublicKeyAlgorithmTags.RSA_GENERAL || algorithm == PublicKeyAlgorithmTags.RSA_SIGN)
                && key.getBitStrength() == 3072) {
            return Optional.of(KeyAlgorithm.RSA_3072);
        }
        return Optional.empty();
    }

    /**
     * A new v4 key that certifies and signs, with one user id and no subkeys: the validator only signs, and a
     * single key keeps "the fingerprint that signed" and "the fingerprint that is pinned" the same.
     * Self-signature over SHA-512; the secret key is stored unprotected (see {@link KeyringSettings}).
     */
    static PGPSecretKeyRing generate(KeyAlgorithm algorithm, String userId, Date created) {
        try {
            PGPKeyPairGenerator generator = new BcPGPKeyPairGeneratorProvider()
                    .setSecureRandom(RANDOM)
                    .get(PublicKeyPacket.VERSION_4, created);
            PGPKeyPair pair = switch (algorithm) {
                case ED25519 -> generator.generateLegacyEd25519KeyPair();
                case RSA_3072 -> generator.generateRsaKeyPair(BigInteger.valueOf(0x10001), 3072);
            };
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, created);
            hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
            hashed.setPreferredHashAlgorithms(false,
                    new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA256});
            hashed.setPreferredSymmetricAlgorithms(false,
                    new int[] {SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_128});
            hashed.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
            hashed.setPrimaryUserID(false, true);
            hashed.setIssuerFingerprint(false, pair.getPublicKey());
            PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId,
                    null, hashed.generate(), null,
                    new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA512),
                    null);
            return rings.generateSecretKeyRing();
        } catch (PGPException e) {
            throw new KeyringException("could not generate a " + algorithm + " key: " + e.getMessage(), e);
        }
    }

    /**
     * The key rings in {@code data}: ASCII-armored (public and private key blocks, several blocks allowed) or
     * binary (one or more concatenated transferable keys, as {@code gpg --export} writes).
     */
    static List<Object> readKeyRings(byte[] data) throws IOException {
        List<Object> rings = new ArrayList<>();
        if (looksArmored(data)) {
            String text = new String(data, StandardCharsets.UTF_8);
            List<byte[]> blocks = new ArrayList<>();
            try {
                blocks.addAll(Armor.decodeAll(text, Armor.PUBLIC_KEY));
                blocks.addAll(Armor.decodeAll(text, Armor.PRIVATE_KEY));
            } catch (Armor.ArmorException e) {
                throw new IOException(e.getMessage(), e);
            }
            for (byte[] block : blocks) {
                readBinary(block, rings);
            }
        } else {
            readBinary(data, rings);
        }
        return rings;
    }

    static boolean looksArmored(byte[] data) {
        String start = new String(data, 0, Math.min(data.length, 4096), StandardCharsets.ISO_8859_1);
        return start.contains("-----BEGIN PGP ");
    }

    private static void readBinary(byte[] data, List<Object> rings) throws IOException {
        BcPGPObjectFactory factory = new BcPGPObjectFactory(data);
        try {
            for (int i = 0; i < MAX_OBJECTS; i++) {
                Object next = factory.nextObject();
                if (next == null) {
                    return;
                }
                if (next instanceof PGPPublicKeyRing || next instanceof PGPSecretKeyRing) {
                    rings.add(next);
                } else if (!(next instanceof PGPMarker)) {
                    throw new IOException("not a key: found " + next.getClass().getSimpleName());
                }
            }
            throw new IOException("more than " + MAX_OBJECTS + " objects in one key file");
        } catch (RuntimeException e) {
            // Bouncy Castle reports some malformed packets with unchecked exceptions.
            throw new IOException("malformed OpenPGP data: " + e, e);
        }
    }

    static String armorPublic(List<PGPPublicKeyRing> rings) {
        return Armor.encode(out -> {
            for (PGPPublicKeyRing ring : rings) {
                ring.encode(out, true);
            }
        });
    }

    static String armorSecret(PGPSecretKeyRing ring) {
        return Armor.encode(ring::encode);
    }
}
