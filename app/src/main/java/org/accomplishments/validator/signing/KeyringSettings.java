package org.accomplishments.validator.signing;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link ValidationKeyring#open} provisions a key when its directory holds none yet.
 *
 * <p>An import (a file, or armored text from configuration) wins over generation. The key to import must be an
 * unprotected OpenPGP secret key: the service signs unattended, so there is nobody to type a passphrase, and
 * the key file is protected by file permissions instead. Settings are ignored once the directory holds keys;
 * use {@link ValidationKeyring#rotate} or {@link ValidationKeyring#importKey} to change keys later.
 *
 * @param algorithm      algorithm of a generated key
 * @param userId         user id of a generated key, e.g. {@code accomplishments-validator <validator@localhost>}
 * @param importFile     an armored or binary secret key to import on first start
 * @param importArmored  an armored secret key to import on first start
 */
public record KeyringSettings(KeyAlgorithm algorithm, String userId, Optional<Path> importFile,
                              Optional<String> importArmored) {

    public static final String DEFAULT_USER_ID = "accomplishments-validator <validator@localhost>";

    public KeyringSettings {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(importFile, "importFile");
        Objects.requireNonNull(importArmored, "importArmored");
        if (userId.isBlank()) {
            throw new IllegalArgumentException("the user id of a generated key must not be blank");
        }
        if (importFile.isPresent() && importArmored.isPresent()) {
            throw new IllegalArgumentException("configure either a key file or an armored key to import, not both");
        }
    }

    /** Generate an Ed25519 key with the default user id. */
    public static KeyringSettings defaults() {
        return generate(KeyAlgorithm.defaultAlgorithm(), DEFAULT_USER_ID);
    }

    public static KeyringSettings generate(KeyAlgorithm algorithm, String userId) {
        return new KeyringSettings(algorithm, userId, Optional.empty(), Optional.empty());
    }

    public KeyringSettings withImportFile(Path file) {
        return new KeyringSettings(algorithm, userId, Optional.of(file), Optional.empty());
    }

    public KeyringSettings withImportArmored(String armored) {
        return new KeyringSettings(algorithm, userId, Optional.empty(), Optional.of(armored));
    }
}
