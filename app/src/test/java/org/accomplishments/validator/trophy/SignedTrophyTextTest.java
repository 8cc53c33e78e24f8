package org.accomplishments.validator.trophy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignedTrophyTextTest {

    static final String FINGERPRINT = "0123456789ABCDEF0123456789ABCDEF01234567";
    static final ValidationBinding ALICE = new ValidationBinding("0a1b2c3d-4e5f-6789-abcd-ef0123456789", "alice",
            Instant.parse("2026-11-21T19:22:05Z"), FINGERPRINT);

    static Trophy trophy(String text) {
        return ((TrophyParser.Parsed) TrophyParser.parse(text.getBytes(StandardCharsets.UTF_8))).trophy();
    }

    @Test
    void theSignedTextIsTheTrophySectionThenTheValidationSection() {
        Trophy trophy = trophy(TrophyParserTest.REPORT_FIRST_BUG + "\n\n");
        assertEquals(TrophyParserTest.REPORT_FIRST_BUG + """

                [validation]
                share-id = 0a1b2c3d-4e5f-6789-abcd-ef0123456789
                owner = alice
                validated-at = 2026-11-21T19:22:05Z
                key = 0123456789ABCDEF0123456789ABCDEF01234567
                """, SignedTrophyText.compose(trophy, ALICE));
    }

    @Test
    void aComposedTextReadsBackToTheSameEntriesAndBinding() {
        Trophy trophy = trophy(TrophyParserTest.REPORT_FIRST_BUG);
        SignedTrophy signed = SignedTrophyText.parse(SignedTrophyText.compose(trophy, ALICE)).orElseThrow();
        assertEquals(trophy.entries(), signed.trophyEntries());
        assertEquals(trophy.trophySection(), signed.trophySection());
        assertEquals(Optional.of(ALICE), signed.binding());
        assertTrue(TrophyComparison.compare(signed.trophyEntries(), trophy).isEmpty());
    }

    @Test
    void a2012SignedTrophyHasNoBinding() {
        SignedTrophy signed = SignedTrophyText.parse(TrophyParserTest.REPORT_FIRST_BUG).orElseThrow();
        assertEquals(Optional.empty(), signed.binding());
        assertEquals("someone@example.org", signed.trophyEntries().get("launchpad-email"));
    }

    @Test
    void aSignedTextWithForeignSectionsOrAnIncompleteBindingIsMalformed() {
        String composed = SignedTrophyText.compose(trophy(TrophyParserTest.REPORT_FIRST_BUG), ALICE);
        assertEquals("line 14: unexpected section [extra]", SignedTrophyText.parse(composed + "[extra]\na=b\n").failure().orElseThrow());
        assertEquals("[validation] has no owner",
                SignedTrophyText.parse(composed.replace("owner = alice\n", "")).failure().orElseThrow());
        assertEquals("[validation] has an unexpected key 'note'",
                SignedTrophyText.parse(composed + "note = hi\n").failure().orElseThrow());
        assertEquals("[validation] keyFingerprint must be 40 upper-case hex digits",
                SignedTrophyText.parse(composed.replace(FINGERPRINT, "ABC")).failure().orElseThrow());
        assertEquals("no [trophy] section", SignedTrophyText.parse("[validation]\n").failure().orElseThrow());
    }

    @Test
    void theComparisonSaysWhichKeyDiffers() {
        Trophy signedTrophy = trophy(TrophyParserTest.REPORT_FIRST_BUG);
        Trophy onDisk = trophy(TrophyParserTest.REPORT_FIRST_BUG
                .replace("someone@example.org", "mallory@example.org")
                .replace("date-accomplished = 2012-04-30 22:17\n", "")
                + "extra = 1\n");
        List<TrophyComparison.Difference> differences = TrophyComparison.compare(signedTrophy.entries(), onDisk);
        assertEquals(List.of(
                "key 'date-accomplished' was signed but is missing from the trophy",
                "key 'launchpad-email' differs: signed 'someone@example.org', trophy has 'mallory@example.org'",
                "key 'extra' is in the trophy but was not signed"),
                differences.stream().map(TrophyComparison.Difference::describe).toList());
    }

    @Test
    void formattingDifferencesThatDoNotChangeMeaningAreNotDifferences() {
        Trophy signedTrophy = trophy(TrophyParserTest.REPORT_FIRST_BUG);
        Trophy onDisk = trophy(TrophyParserTest.REPORT_FIRST_BUG.replace(" = ", "=").replace("\n", "\r\n").replace("Id", "ID"));
        assertTrue(TrophyComparison.compare(signedTrophy.entries(), onDisk).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice\n[trophy]\nid = x/y", "alice\r", " alice", "alice ", "", "a\u2028b", "a\u0085b", "a\tb"})
    void aBindingRefusesValuesThatCouldInjectLines(String owner) {
        assertThrows(IllegalArgumentException.class,
                () -> new ValidationBinding("share", owner, Instant.EPOCH, FINGERPRINT));
        assertThrows(IllegalArgumentException.class,
                () -> new ValidationBinding(owner, "alice", Instant.EPOCH, FINGERPRINT));
    }

    @Test
    void sanitisingMakesAHostileDisplayNameSafe() {
        String clean = ValidationBinding.sanitise("  alice\n[trophy]\nid = x/y\u0000 ");
        assertEquals("alice [trophy] id = x/y", clean);
        ValidationBinding binding = new ValidationBinding("share", clean, Instant.EPOCH, FINGERPRINT);
        Trophy trophy = trophy(TrophyParserTest.REPORT_FIRST_BUG);
        SignedTrophy signed = SignedTrophyText.parse(SignedTrophyText.compose(trophy, binding)).orElseThrow();
        assertEquals(clean, signed.binding().orElseThrow().owner());
        assertEquals(trophy.entries(), signed.trophyEntries());
        assertEquals("unknown", ValidationBinding.sanitise(" \n "));
        assertEquals(ValidationBinding.MAX_VALUE_LENGTH, ValidationBinding.sanitise("x".repeat(1000)).length());
    }

    @Test
    void aBindingKeepsWholeSecondsAndAnUpperCaseFingerprint() {
        ValidationBinding binding = new ValidationBinding("s", "o", Instant.parse("2026-11-21T19:22:05.999Z"), FINGERPRINT);
        assertEquals(Instant.parse("2026-11-21T19:22:05Z"), binding.validatedAt());
        assertThrows(IllegalArgumentException.class,
                () -> new ValidationBinding("s", "o", Instant.EPOCH, FINGERPRINT.toLowerCase()));
    }
}
