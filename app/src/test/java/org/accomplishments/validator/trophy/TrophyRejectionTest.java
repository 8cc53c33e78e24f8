package org.accomplishments.validator.trophy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrophyRejectionTest {

    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final Instant AT = Instant.parse("2026-11-21T19:22:05.123456Z");

    @Test
    void aRejectionIsWrittenInTheDocumentedFormat() {
        TrophyRejection rejection = new TrophyRejection("ubuntu-community/report-first-bug", RejectionReason.NOT_ACCOMPLISHED,
                "The logic script answered \"not accomplished\" 12 times over 30 days.", AT, SHA);
        assertEquals("""
                [rejection]
                id = ubuntu-community/report-first-bug
                reason = not-accomplished
                detail = The logic script answered "not accomplished" 12 times over 30 days.
                at = 2026-11-21T19:22:05Z
                trophy-sha256 = 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
                """, rejection.toFileText());
    }

    @Test
    void aRejectionReadsBackAsItWasWritten() {
        TrophyRejection rejection = new TrophyRejection("ubuntu-community/x", RejectionReason.ID_PATH_MISMATCH,
                "id = a/b but the file is ubuntu-community/x.trophy", AT, SHA);
        assertEquals(Optional.of(rejection), TrophyRejection.parse(rejection.toFileText()).asOptional());
    }

    @Test
    void aHostileDetailCannotAddKeysOrSections() {
        String hostile = "nope\nreason = malformed\r\n[rejection]\u2028at = 1970-01-01T00:00:00Z\u0000\u001b[2J";
        TrophyRejection rejection = new TrophyRejection("a/b", RejectionReason.MALFORMED, hostile, AT, SHA);
        String text = rejection.toFileText();
        assertEquals(7, text.split("\n", -1).length, text);
        TrophyRejection back = TrophyRejection.parse(text).orElseThrow();
        assertEquals(RejectionReason.MALFORMED, back.reason());
        assertEquals(AT.getEpochSecond(), back.at().getEpochSecond());
        assertEquals("nope reason = malformed [rejection] at = 1970-01-01T00:00:00Z [2J", back.detail());
    }

    @Test
    void aLongDetailIsCapped() {
        TrophyRejection rejection = new TrophyRejection("a/b", RejectionReason.MALFORMED, "x".repeat(5000), AT, SHA);
        assertEquals(TrophyRejection.MAX_DETAIL_LENGTH, rejection.detail().length());
        assertTrue(rejection.detail().endsWith("..."));
    }

    @Test
    void theDigestIsLowerCaseHexSha256OfTheBytes() {
        assertEquals(SHA, TrophyRejection.sha256Hex("test".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void aRejectionWithoutBytesHasAnEmptyDigest() {
        TrophyRejection rejection = new TrophyRejection("a/b", RejectionReason.NOT_A_REGULAR_FILE, "a symbolic link", AT, "");
        assertEquals("", TrophyRejection.parse(rejection.toFileText()).orElseThrow().trophySha256());
        assertThrows(IllegalArgumentException.class,
                () -> new TrophyRejection("a/b", RejectionReason.MALFORMED, "", AT, "ABC"));
    }

    @Test
    void aRejectionFileWithAnUnknownReasonOrMissingKeyIsMalformed() {
        String good = new TrophyRejection("a/b", RejectionReason.MALFORMED, "d", AT, SHA).toFileText();
        assertEquals("unknown reason 'because'", TrophyRejection.parse(good.replace("= malformed", "= because")).failure().orElseThrow());
        assertEquals("[rejection] has no at", TrophyRejection.parse(good.replaceAll("at = .*\n", "")).failure().orElseThrow());
        assertEquals("at is not an ISO-8601 UTC instant",
                TrophyRejection.parse(good.replace("2026-11-21T19:22:05Z", "yesterday")).failure().orElseThrow());
    }

    @Test
    void everyReasonHasAUniqueWireNameAndADescription() {
        assertEquals(14, RejectionReason.values().length);
        var names = new HashSet<String>();
        for (RejectionReason reason : RejectionReason.values()) {
            assertTrue(names.add(reason.wireName()));
            assertTrue(reason.wireName().matches("[a-z]+(-[a-z]+)*"), reason.wireName());
            assertTrue(reason.description().endsWith("."), reason.wireName());
            assertEquals(Optional.of(reason), RejectionReason.fromWireName(reason.wireName()));
        }
        assertTrue(names.containsAll(Arrays.asList("malformed", "invalid-encoding", "unknown-accomplishment", "not-global",
                "id-path-mismatch", "missing-information", "information-mismatch", "invalid-information",
                "dependencies-unmet", "no-logic-script", "not-accomplished", "script-error", "too-large",
                "not-a-regular-file")));
        assertFalse(RejectionReason.fromWireName("MALFORMED").isPresent());
    }
}
