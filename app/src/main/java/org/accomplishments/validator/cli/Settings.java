package org.accomplishments.validator.cli;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.accomplishments.validator.signing.KeyringSettings;
import org.accomplishments.validator.signing.SigningFactory;
import org.accomplishments.validator.signing.SigningSettings;

import java.nio.file.Path;

/**
 * The service's configuration as the CLI sees it (config files, system properties, environment variables), read
 * without starting the service: {@code keys} must work beside a running service without touching its database.
 */
final class Settings implements AutoCloseable {
    private final ApplicationContext context;
    private final Environment environment;

    Settings() {
        context = ApplicationContext.builder().deduceEnvironment(false).banner(false).build();
        environment = context.getEnvironment();
        environment.start();
    }

    Path dataDir() {
        return Path.of(environment.getProperty("validator.data-dir", String.class).orElse("./var"));
    }

    /** A resolved setting ({@code ${validator.data-dir}} placeholders filled in), or the fallback. */
    String property(String key, String fallback) {
        return environment.getProperty(key, String.class).orElse(fallback);
    }

    Path keysDir() {
        return dataDir().resolve("keys");
    }

    KeyringSettings keyringSettings() {
        SigningSettings signing = new SigningSettings() {
            @Override
            public String getAlgorithm() {
                return get("algorithm", "ed25519");
            }

            @Override
            public String getHash() {
                return get("hash", "sha512");
            }

            @Override
            public String getUserId() {
                return get("user-id", KeyringSettings.DEFAULT_USER_ID);
            }

            @Override
            public String getImportFile() {
                return get("import-file", "");
            }

            @Override
            public String getImportArmored() {
                return get("import-armored", "");
            }
        };
        return SigningFactory.keyringSettings(signing);
    }

    private String get(String key, String fallback) {
        return environment.getProperty("validator.signing." + key, String.class).orElse(fallback);
    }

    @Override
    public void close() {
        environment.stop();
    }
}
