package org.accomplishments.validator.signing;

import jakarta.inject.Singleton;
import org.accomplishments.validator.validation.Signatures;

import java.util.Optional;

/** The pipeline's view of the signer: our active key signs; our keys, active or retired, are the only ones trusted. */
@Singleton
public class KeyringSignatures implements Signatures {
    private final ValidationKeyring keyring;
    private final TrophySigner signer;
    private final SignatureVerifier verifier;

    public KeyringSignatures(ValidationKeyring keyring, TrophySigner signer, SignatureVerifier verifier) {
        this.keyring = keyring;
        this.signer = signer;
        this.verifier = verifier;
    }

    @Override
    public String activeFingerprint() {
        return keyring.active().fingerprint();
    }

    @Override
    public Signed sign(String text) {
        SignedText signed = signer.sign(text);
        return new Signed(signed.armored(), signed.fingerprint());
    }

    @Override
    public Optional<String> verifiedText(String armored) {
        return verifier.verify(armored, keyring.pinnedKeys()) instanceof VerificationResult.Good good
                ? Optional.of(good.signedText()) : Optional.empty();
    }
}
