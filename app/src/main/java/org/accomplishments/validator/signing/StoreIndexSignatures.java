package org.accomplishments.validator.signing;

import org.accomplishments.validator.collection.store.IndexSignatures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The collection store's index signatures: {@link DetachedSignatures} with the validation keyring or pinned keys. */
public final class StoreIndexSignatures implements IndexSignatures {
    private static final DetachedSignatures SIGNATURES = new DetachedSignatures();

    private final ValidationKeyring keyring;

    public StoreIndexSignatures(ValidationKeyring keyring) {
        this.keyring = Objects.requireNonNull(keyring);
    }

    @Override
    public Signed sign(byte[] data) {
        SigningKey key = keyring.active();
        return new Signed(SIGNATURES.sign(key, data), key.fingerprint());
    }

    @Override
    public String activeFingerprint() {
        return keyring.active().fingerprint();
    }

    @Override
    public Verifier ownKeys() {
        return pinned(keyring.pinnedKeys());
    }

    /** A verifier that accepts signatures by {@code keys} only. */
    public static Verifier pinned(PinnedKeys keys) {
        return new Verifier() {
            @Override
            public Verdict verify(byte[] data, String armoredSignature) {
                VerificationResult result = SIGNATURES.verify(data, armoredSignature, keys);
                if (result instanceof VerificationResult.Good good) {
                    return new Verdict(true, good.fingerprint(), "good signature by " + good.fingerprint());
                }
                if (result instanceof VerificationResult.UnknownKey unknown) {
                    return new Verdict(false, "", "signed by another key (" + unknown.keyIdHex() + ")");
                }
                if (result instanceof VerificationResult.BadSignature bad) {
                    return new Verdict(false, "", bad.detail());
                }
                return new Verdict(false, "", result.toString());
            }

            @Override
            public List<String> fingerprints() {
                return keys.fingerprints();
            }
        };
    }

    /** The pinned keys of a file (armored or binary). */
    public static Verifier pinned(Path keyFile) throws IOException {
        return pinned(PinnedKeys.load(keyFile));
    }
}
