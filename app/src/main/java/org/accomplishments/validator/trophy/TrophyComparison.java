package org.accomplishments.validator.trophy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Compares the {@code [trophy]} section inside a signature with the {@code .trophy} next to it, key by key,
 * so a verifier can say exactly what differs instead of "bad". Keys are compared as parsed (lower-case keys,
 * trimmed values, continuation lines joined), which is what both sides mean.
 */
public final class TrophyComparison {

    /** One key whose value differs; an empty side means the key is absent there. */
    public record Difference(String key, Optional<String> signed, Optional<String> onDisk) {
        public Difference {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(signed, "signed");
            Objects.requireNonNull(onDisk, "onDisk");
        }

        public String describe() {
            if (signed.isEmpty()) {
                return "key '" + key + "' is in the trophy but was not signed";
            }
            if (onDisk.isEmpty()) {
                return "key '" + key + "' was signed but is missing from the trophy";
            }
            return "key '" + key + "' differs: signed '" + KeyFile.abbreviate(signed.get())
                    + "', trophy has '" + KeyFile.abbreviate(onDisk.get()) + "'";
        }
    }

    private TrophyComparison() {
    }

    /** An empty list means the signed section and the trophy are equal. */
    public static List<Difference> compare(Map<String, String> signedTrophyEntries, Trophy onDisk) {
        return compare(signedTrophyEntries, onDisk.entries());
    }

    public static List<Difference> compare(Map<String, String> signed, Map<String, String> onDisk) {
        List<Difference> differences = new ArrayList<>();
        signed.forEach((key, value) -> {
            String other = onDisk.get(key);
            if (!value.equals(other)) {
                differences.add(new Difference(key, Optional.of(value), Optional.ofNullable(other)));
            }
        });
        onDisk.forEach((key, value) -> {
            if (!signed.containsKey(key)) {
                differences.add(new Difference(key, Optional.empty(), Optional.of(value)));
            }
        });
        return differences;
    }
}
