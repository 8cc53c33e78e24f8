package org.accomplishments.validator.signing;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Wires the plain-Java signing package into the service. */
@Factory
public class SigningFactory {

    @Singleton
    ValidationKeyring keyring(@Value("${validator.data-dir}") Path dataDir, SigningSettings settings) {
        return ValidationKeyring.open(dataDir.resolve("keys"), keyringSettings(settings));
    }

    @Singleton
    ClearsignSigner signer(ValidationKeyring keyring, SigningSettings settings) {
        return new ClearsignSigner(keyring, hash(settings.getHash()));
    }

    @Singleton
    org.accomplishments.validator.collection.store.IndexSignatures storeIndexSignatures(ValidationKeyring keyring) {
        return new StoreIndexSignatures(keyring);
    }

    @Singleton
    SignatureVerifier verifier() {
        return new SignatureVerifier();
    }

    public static KeyringSettings keyringSettings(SigningSettings settings) {
        return new KeyringSettings(algorithm(settings.getAlgorithm()), settings.getUserId(),
                blankToEmpty(settings.getImportFile()).map(Path::of), blankToEmpty(settings.getImportArmored()));
    }

    public static KeyAlgorithm algorithm(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
            case "ed25519" -> KeyAlgorithm.ED25519;
            case "rsa3072" -> KeyAlgorithm.RSA_3072;
            default -> throw new IllegalArgumentException("validator.signing.algorithm: '" + name
                    + "' is not one of ed25519, rsa3072");
        };
    }

    /** The name {@code validator.signing.algorithm} and {@code keys rotate --algorithm} take. */
    public static String algorithmName(KeyAlgorithm algorithm) {
        return switch (algorithm) {
            case ED25519 -> "ed25519";
            case RSA_3072 -> "rsa3072";
        };
    }

    static SignatureHash hash(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace("-", "")) {
            case "sha512" -> SignatureHash.SHA512;
            case "sha256" -> SignatureHash.SHA256;
            default -> throw new IllegalArgumentException("validator.signing.hash: '" + name
                    + "' is not one of sha512, sha256 (SHA-1 is never used)");
        };
    }

    private static Optional<String> blankToEmpty(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
