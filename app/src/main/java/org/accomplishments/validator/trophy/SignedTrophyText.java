package org.accomplishments.validator.trophy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * The text the server signs for a trophy (formats.md, {@code .trophy.asc}): the {@code [trophy]} section
 * exactly as read, a blank line, then the {@code [validation]} section binding it to a share.
 */
public final class SignedTrophyText {

    private static final Set<String> VALIDATION_KEYS = Set.of("share-id", "owner", "validated-at", "key");

    private SignedTrophyText() {
    }

    public static String compose(Trophy trophy, ValidationBinding binding) {
        return trophy.trophySection()
                + "\n"
                + "[" + ValidationBinding.SECTION + "]\n"
                + "share-id = " + binding.shareId() + "\n"
                + "owner = " + binding.owner() + "\n"
                + "validated-at = " + binding.validatedAt() + "\n"
                + "key = " + binding.keyFingerprint() + "\n";
    }

    /**
     * Reads a signed text (the cleartext of a verified signature). It must hold {@code [trophy]} and may hold
     * {@code [validation]} with exactly its four keys; anything else means the text was not written by this
     * server (or a 2012 one) and is malformed.
     */
    public static ParseResult<SignedTrophy> parse(String signedText) {
        return KeyFile.parse(signedText).flatMap(file -> {
            for (KeyFile.Section section : file.sections().values()) {
                if (!section.name().equals(TrophyParser.SECTION) && !section.name().equals(ValidationBinding.SECTION)) {
                    return ParseResult.malformed("line " + section.headerLine() + ": unexpected section [" + section.name() + "]");
                }
            }
            var trophy = file.section(TrophyParser.SECTION);
            if (trophy.isEmpty()) {
                return ParseResult.malformed("no [" + TrophyParser.SECTION + "] section");
            }
            var validation = file.section(ValidationBinding.SECTION);
            Optional<ValidationBinding> binding = Optional.empty();
            if (validation.isPresent()) {
                ParseResult<ValidationBinding> read = readBinding(validation.get());
                if (read instanceof ParseResult.Malformed<ValidationBinding> m) {
                    return ParseResult.malformed(m.reason());
                }
                binding = read.asOptional();
            }
            return ParseResult.parsed(new SignedTrophy(trophy.get().entries(),
                    TrophyParser.signableText(trophy.get().rawText()), binding));
        });
    }

    private static ParseResult<ValidationBinding> readBinding(KeyFile.Section section) {
        for (String key : section.entries().keySet()) {
            if (!VALIDATION_KEYS.contains(key)) {
                return ParseResult.malformed("[validation] has an unexpected key '" + key + "'");
            }
        }
        for (String key : new String[] {"share-id", "owner", "validated-at", "key"}) {
            if (!section.has(key)) {
                return ParseResult.malformed("[validation] has no " + key);
            }
        }
        Instant validatedAt;
        try {
            validatedAt = Instant.parse(section.get("validated-at").orElseThrow());
        } catch (DateTimeParseException e) {
            return ParseResult.malformed("[validation] validated-at is not an ISO-8601 UTC instant");
        }
        try {
            return ParseResult.parsed(new ValidationBinding(section.get("share-id").orElseThrow(),
                    section.get("owner").orElseThrow(), validatedAt, section.get("key").orElseThrow()));
        } catch (IllegalArgumentException e) {
            return ParseResult.malformed("[validation] " + e.getMessage());
        }
    }
}
