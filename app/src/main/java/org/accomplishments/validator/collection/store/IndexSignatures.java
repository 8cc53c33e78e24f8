package org.accomplishments.validator.collection.store;

import java.util.List;

/**
 * Detached OpenPGP signatures over an index's exact bytes, as the store needs them. The signing package implements
 * it ({@code StoreIndexSignatures}), so the store knows no OpenPGP library and the packages form no cycle.
 */
public interface IndexSignatures {

    /** What a check of a signature found: good (by which certificate) or why not. */
    record Verdict(boolean good, String fingerprint, String detail) {
    }

    /** An armored signature and the fingerprint of the key that made it. */
    record Signed(String armored, String fingerprint) {
    }

    /** Checks a detached signature against pinned keys only. */
    interface Verifier {
        Verdict verify(byte[] data, String armoredSignature);

        List<String> fingerprints();
    }

    /** Signs with the active validation key. */
    Signed sign(byte[] data);

    String activeFingerprint();

    /** The keys of this appliance's own keyring, active and retired. */
    Verifier ownKeys();
}
