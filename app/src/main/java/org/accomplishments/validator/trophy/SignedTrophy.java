package org.accomplishments.validator.trophy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The content of a signed trophy's cleartext, as read back by a verifier.
 *
 * @param trophyEntries the keys of the signed {@code [trophy]} section, to compare with the {@code .trophy}
 *                      next to it ({@link TrophyComparison})
 * @param binding       the {@code [validation]} section; absent for a trophy signed by the 2012 server,
 *                      which carries no share binding
 */
public record SignedTrophy(Map<String, String> trophyEntries, String trophySection, Optional<ValidationBinding> binding) {

    public SignedTrophy {
        trophyEntries = Collections.unmodifiableMap(new LinkedHashMap<>(trophyEntries));
        Objects.requireNonNull(trophySection, "trophySection");
        Objects.requireNonNull(binding, "binding");
    }
}
