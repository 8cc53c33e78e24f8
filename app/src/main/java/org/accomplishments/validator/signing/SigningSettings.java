package org.accomplishments.validator.signing;

import io.micronaut.context.annotation.ConfigurationProperties;

/** {@code validator.signing.*}. Defaults (and their documentation) in application.yml. */
@ConfigurationProperties("validator.signing")
public interface SigningSettings {
    /** {@code ed25519} or {@code rsa3072}: the algorithm of a generated key. */
    String getAlgorithm();

    /** {@code sha512} or {@code sha256}. */
    String getHash();

    String getUserId();

    String getImportFile();

    String getImportArmored();
}
