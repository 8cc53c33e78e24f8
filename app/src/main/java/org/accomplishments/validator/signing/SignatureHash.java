package org.accomplishments.validator.signing;

import org.bouncycastle.bcpg.HashAlgorithmTags;

/**
 * The digest a {@link ClearsignSigner} uses. Only SHA-2 members that GnuPG 2.2 checks: Bouncy Castle's newer
 * API would pick SHA3-512, which gpg 2.2 cannot verify, so the digest is always chosen explicitly here.
 */
public enum SignatureHash {
    SHA512(HashAlgorithmTags.SHA512, "SHA512"),
    SHA256(HashAlgorithmTags.SHA256, "SHA256");

    private final int openPgpId;
    private final String armorName;

    SignatureHash(int openPgpId, String armorName) {
        this.openPgpId = openPgpId;
        this.armorName = armorName;
    }

    /** The OpenPGP hash algorithm id (10 for SHA-512, 8 for SHA-256). */
    public int openPgpId() {
        return openPgpId;
    }

    /** The name in the cleartext {@code Hash:} armor header, as gpg writes it. */
    public String armorName() {
        return armorName;
    }

    public static SignatureHash defaultHash() {
        return SHA512;
    }
}
