package org.accomplishments.validator.signing;

import jakarta.inject.Singleton;
import org.accomplishments.validator.validation.Signatures;

import java.util.Optional;

/** The pipeline's view of the signer: our active key signs; our keys, active or retired, are the only ones trusted. */
@Singleton
public class KeyringSignatures implements Signatures {
    private final ValidationKeyring keyring;
    private final ClearsignSigner signer;
    private final SignatureVerifier verifier;

    public KeyringSignatures(ValidationKeyring keyring, ClearsignSigner signer, SignatureVerifier verifier) {
        this.keyring = keyring;
        this.signer = signer;
        this.verifier = verifier;
    }

    @Override
    public Signed sign(java.util.function.Function<String, String> textForKey) {
        SigningKey key = keyring.active();
        SignedText signed = signer.sign(key, textForKey.apply(key.fingerprint()));
        return new Signed(signed.armored(), signed.fingerprint());
    }

    @Override
    public Optional<String> verifiedText(String armored) {
        return verifier.verify(armored, keyring.pinnedKeys()) instanceof VerificationResult.Good good
                ? Optional.of(good.signedText()) : Optional.empty();
    }
}
