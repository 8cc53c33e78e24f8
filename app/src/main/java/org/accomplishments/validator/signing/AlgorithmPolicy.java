package org.accomplishments.validator.signing;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;

/**
 * Which algorithms this package trusts, in one place (after PGPainless' {@code Policy}).
 *
 * <p><b>Signing</b> uses SHA-512 or SHA-256 only ({@link SignatureHash}); SHA-1 is never used, not even for
 * key self-signatures.
 *
 * <p><b>Verification</b> accepts the SHA-2 family (SHA-224, SHA-256, SHA-384, SHA-512) and SHA3-256/SHA3-512.
 * SHA-224 stays in because it is a truncated SHA-256 with 112-bit collision resistance, and gpg picks it on its
 * own for DSA keys with a 224-bit q (the {@code dsa2048} keys of 2012). MD5, SHA-1, RIPEMD-160 and anything
 * unknown are refused with {@link VerificationResult.WeakHash}: collisions for SHA-1 are practical, and a
 * signature over a colliding text would vouch for a trophy nobody validated.
 *
 * <p>RSA, DSA and ElGamal keys below {@link #minimumKeyBits()} (2048 by default) are refused with
 * {@link VerificationResult.WeakKey}. An operator who must pin a 1024-bit key of the 2012 server can lower it
 * deliberately with {@link #withMinimumKeyBits(int)}. Elliptic-curve keys have fixed strength and pass.
 */
public final class AlgorithmPolicy {

    private static final Map<Integer, String> HASH_NAMES = Map.ofEntries(
            Map.entry(HashAlgorithmTags.MD5, "MD5"),
            Map.entry(HashAlgorithmTags.SHA1, "SHA1"),
            Map.entry(HashAlgorithmTags.RIPEMD160, "RIPEMD160"),
            Map.entry(HashAlgorithmTags.SHA224, "SHA224"),
            Map.entry(HashAlgorithmTags.SHA256, "SHA256"),
            Map.entry(HashAlgorithmTags.SHA384, "SHA384"),
            Map.entry(HashAlgorithmTags.SHA512, "SHA512"),
            Map.entry(HashAlgorithmTags.SHA3_256, "SHA3-256"),
            Map.entry(HashAlgorithmTags.SHA3_512, "SHA3-512"));

    private static final Set<Integer> ACCEPTED_FOR_VERIFICATION = Set.of(
            HashAlgorithmTags.SHA224, HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA384,
            HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA3_256, HashAlgorithmTags.SHA3_512);

    private static final AlgorithmPolicy STANDARD = new AlgorithmPolicy(2048);

    private final int minimumKeyBits;

    private AlgorithmPolicy(int minimumKeyBits) {
        this.minimumKeyBits = minimumKeyBits;
    }

    /** The policy described above, with a 2048-bit floor for RSA/DSA/ElGamal keys. */
    public static AlgorithmPolicy standard() {
        return STANDARD;
    }

    /** A copy with another floor for RSA/DSA/ElGamal keys; below 1024 bits is never allowed. */
    public AlgorithmPolicy withMinimumKeyBits(int bits) {
        if (bits < 1024) {
            throw new IllegalArgumentException("keys below 1024 bits are factorable; refusing a floor of " + bits);
        }
        return new AlgorithmPolicy(bits);
    }

    public int minimumKeyBits() {
        return minimumKeyBits;
    }

    /** Whether a signature made with this OpenPGP hash algorithm id may be trusted. */
    public boolean acceptsSignatureHash(int hashAlgorithm) {
        return ACCEPTED_FOR_VERIFICATION.contains(hashAlgorithm);
    }

    /** Whether a key of this algorithm and size may vouch for a trophy. */
    public boolean acceptsKey(int publicKeyAlgorithm, int bitStrength) {
        switch (publicKeyAlgorithm) {
            case PublicKeyAlgorithmTags.RSA_GENERAL:
            case PublicKeyAlgorithmTags.RSA_SIGN:
            case PublicKeyAlgorithmTags.DSA:
            case PublicKeyAlgorithmTags.ELGAMAL_GENERAL:
                return bitStrength >= minimumKeyBits;
            default:
                return true;
        }
    }

    /** The name gpg uses in the {@code Hash:} header and in messages, or {@code HASH<id>} for unknown ids. */
    public static String hashName(int hashAlgorithm) {
        return HASH_NAMES.getOrDefault(hashAlgorithm, "HASH" + hashAlgorithm);
    }

    /** The id for a {@code Hash:} header name (case-insensitive), if it is one we know. */
    static Optional<Integer> hashIdForName(String name) {
        return HASH_NAMES.entrySet().stream()
                .filter(e -> e.getValue().equalsIgnoreCase(name.trim()))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    @Override
    public String toString() {
        return "AlgorithmPolicy[sign=SHA512|SHA256, verify=SHA224|SHA256|SHA384|SHA512|SHA3-256|SHA3-512, "
                + "minimumKeyBits=" + minimumKeyBits + "]";
    }
}
