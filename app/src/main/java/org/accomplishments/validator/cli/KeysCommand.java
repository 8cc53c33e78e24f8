package org.accomplishments.validator.cli;

import org.accomplishments.validator.signing.KeyAlgorithm;
import org.accomplishments.validator.signing.PublishedKey;
import org.accomplishments.validator.signing.SigningFactory;
import org.accomplishments.validator.signing.ValidationKeyring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code keys list|export|rotate|import}: the validation keys in the data directory. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Manage the validation keys in the data directory (validator.data-dir/keys). A running "
                + "service picks up a rotation or import within validator.collections.reload-interval.",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Export.class, KeysCommand.Rotate.class,
                KeysCommand.Import.class})
public class KeysCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        picocli.CommandLine.usage(this, System.out);
        return ExitCodes.USAGE;
    }

    static ValidationKeyring open() {
        try (Settings settings = new Settings()) {
            return ValidationKeyring.open(settings.keysDir(), settings.keyringSettings());
        }
    }

    static String line(PublishedKey k) {
        return k.fingerprint() + "  " + SigningFactory.algorithmName(k.algorithm()) + "  "
                + k.status().name().toLowerCase(Locale.ROOT) + "  created " + k.created()
                + k.retiredAt().map(r -> "  retired " + r).orElse("");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys: fingerprint, algorithm, status, dates.")
    static class ListKeys implements Callable<Integer> {
        @Override
        public Integer call() {
            open().keys().forEach(k -> System.out.println(line(k)));
            return ExitCodes.GOOD;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Print the public key (armored) that verifiers pin.")
    static class Export implements Callable<Integer> {
        @Option(names = "--all", description = "Active and retired keys (what verifies every trophy ever signed).")
        boolean all;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
        Path output;

        @Override
        public Integer call() throws IOException {
            ValidationKeyring keyring = open();
            String armored = all ? keyring.armoredAllPublicKeys() : keyring.armoredActivePublicKey();
            if (output == null) {
                System.out.print(armored);
            } else {
                Files.writeString(output, armored, StandardCharsets.US_ASCII);
            }
            return ExitCodes.GOOD;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true, description = "Generate a new active key; the old one stays published as retired.")
    static class Rotate implements Callable<Integer> {
        @Option(names = "--algorithm", defaultValue = "ed25519", description = "ed25519 (default) or rsa3072.")
        String algorithm;

        @Override
        public Integer call() {
            KeyAlgorithm chosen = SigningFactory.algorithm(algorithm);
            System.out.println(line(open().rotate(chosen)));
            return ExitCodes.GOOD;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Make an existing unprotected OpenPGP secret key (armored or binary) "
            + "the active key; the previous one stays published as retired.")
    static class Import implements Callable<Integer> {
        @Parameters(paramLabel = "SECRET-KEY-FILE")
        Path file;

        @Override
        public Integer call() {
            if (!Files.isReadable(file)) {
                System.err.println("cannot read " + file);
                return ExitCodes.NO_INPUT;
            }
            System.out.println(line(open().importKey(file)));
            return ExitCodes.GOOD;
        }
    }
}
