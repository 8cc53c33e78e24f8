package org.accomplishments.validator.trophy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrophyParserTest {

    static final String REPORT_FIRST_BUG = """
            [trophy]
            version = 0.2
            id = ubuntu-community/report-first-bug
            date-accomplished = 2012-04-30 22:17
            needs-signing = true
            needs-information = launchpad-email
            launchpad-email = someone@example.org
            """;

    static Trophy trophy(String text) {
        TrophyParser.Result result = TrophyParser.parse(text.getBytes(StandardCharsets.UTF_8));
        return assertInstanceOf(TrophyParser.Parsed.class, result, () -> result.toString()).trophy();
    }

    static TrophyParser.Malformed refused(byte[] bytes) {
        TrophyParser.Result result = TrophyParser.parse(bytes);
        return assertInstanceOf(TrophyParser.Malformed.class, result);
    }

    static TrophyParser.Malformed refused(String text) {
        return refused(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aVersion02TrophyIsReadWithItsInformation() {
        Trophy trophy = trophy(REPORT_FIRST_BUG);
        assertEquals(Trophy.Version.V0_2, trophy.version());
        assertTrue(trophy.versionDeclared());
        assertEquals("ubuntu-community/report-first-bug", trophy.id().toString());
        assertTrue(trophy.needsSigning());
        assertEquals(List.of("launchpad-email"), trophy.needsInformation());
        assertEquals(Map.of("launchpad-email", "someone@example.org"), trophy.information());
        assertEquals(Optional.of("2012-04-30 22:17"), trophy.dateAccomplished());
        assertEquals(7 - 1, trophy.entries().size());
        assertEquals(REPORT_FIRST_BUG, trophy.trophySection());
        assertTrue(trophy.missingInformation().isEmpty());
    }

    @Test
    void needsSigningMayBeWrittenTrueOrTrueCapitalised() {
        assertTrue(trophy(REPORT_FIRST_BUG.replace("= true", "= True")).needsSigning());
        assertFalse(trophy(REPORT_FIRST_BUG.replace("needs-signing = true\n", "")).needsSigning());
        assertEquals("needs-signing must be true or false, not 'sure'",
                refused(REPORT_FIRST_BUG.replace("= true", "= sure")).detail());
    }

    @Test
    void aNeededItemWithoutItsOwnKeyIsReportedMissingNotMalformed() {
        Trophy trophy = trophy(REPORT_FIRST_BUG.replace("launchpad-email = someone@example.org\n", ""));
        assertEquals(List.of("launchpad-email"), trophy.missingInformation());
        assertTrue(trophy.information().isEmpty());
    }

    @Test
    void aVersion01TrophyNamesItsAccomplishmentWithTheAccomplishmentKey() {
        Trophy trophy = trophy("""
                [trophy]
                version = 0.1
                accomplishment = ubuntu-community/registered-on-launchpad
                title = Registered on Launchpad
                description = You registered
                needs-signing = true
                needs-information = launchpad-email
                launchpad-email = someone@example.org
                application = ubuntu-community
                """);
        assertEquals(Trophy.Version.V0_1, trophy.version());
        assertEquals("ubuntu-community/registered-on-launchpad", trophy.id().toString());
        assertEquals("Registered on Launchpad", trophy.entries().get("title"));
    }

    @Test
    void aMissingVersionIsInferredFromTheIdKey() {
        Trophy v02 = trophy("[trophy]\nid = a/b\n");
        assertEquals(Trophy.Version.V0_2, v02.version());
        assertFalse(v02.versionDeclared());
        assertEquals(Trophy.Version.V0_1, trophy("[trophy]\naccomplishment = a/b\n").version());
        assertEquals("[trophy] has neither version nor id", refused("[trophy]\nneeds-signing = true\n").detail());
    }

    @Test
    void aTrophyNeedsTheIdKeyOfItsVersion() {
        assertEquals("a version 0.2 trophy needs an 'id' key", refused("[trophy]\nversion = 0.2\naccomplishment = a/b\n").detail());
        assertEquals("a version 0.1 trophy needs an 'accomplishment' key", refused("[trophy]\nversion = 0.1\nid = a/b\n").detail());
        assertEquals("unsupported trophy version '0.3' (expected 0.2 or 0.1)", refused("[trophy]\nversion = 0.3\nid = a/b\n").detail());
        assertEquals("'id' and 'accomplishment' name different accomplishments",
                refused("[trophy]\nid = a/b\naccomplishment = a/c\n").detail());
    }

    @Test
    void aTrophyWhoseIdPointsOutsideItsCollectionIsMalformed() {
        TrophyParser.Malformed malformed = refused(REPORT_FIRST_BUG.replace("ubuntu-community/report-first-bug", "../../etc/passwd"));
        assertEquals(RejectionReason.MALFORMED, malformed.reason());
        assertEquals("id: accomplishment id '../../etc/passwd' must be <collection>/<name> with exactly one '/'", malformed.detail());
        assertEquals("id: accomplishment id 'ubuntu-community/..' contains '..'",
                refused("[trophy]\nid = ubuntu-community/..\n").detail());
    }

    @Test
    void aTrophyWithoutATrophySectionOrWithOtherSectionsIsMalformed() {
        assertEquals("no [trophy] section", refused("").detail());
        assertEquals("line 1: key outside any section (a [section] header must come first)", refused("id = a/b\n").detail());
        assertEquals("line 3: unexpected section [validation]; a trophy has only [trophy]",
                refused("[trophy]\nid = a/b\n[validation]\nowner = mallory\n").detail());
    }

    @Test
    void aDuplicateKeyInATrophyIsMalformedWithItsLine() {
        assertEquals("line 8: duplicate key 'id' in section [trophy] (first at line 3)",
                refused(REPORT_FIRST_BUG + "id = ubuntu-community/other\n").detail());
    }

    @Test
    void trophiesStayStrictAlthoughCollectionFilesAcceptRepeats() {
        // A stranger's trophy never gets Python 2's last-wins reading: which value would the signer have meant?
        assertEquals("line 8: duplicate key 'launchpad-email' in section [trophy] (first at line 7)",
                refused(REPORT_FIRST_BUG + "Launchpad-Email = mallory@example.org\n").detail());
        assertEquals("line 8: duplicate section [trophy] (first at line 1)",
                refused(REPORT_FIRST_BUG + "[trophy]\nid = ubuntu-community/other\n").detail());
    }

    @Test
    void neededItemNamesMustBePlainAndMayNotShadowTrophyKeys() {
        assertEquals("needs-information names an invalid item '../../.ssh/id_rsa'",
                refused("[trophy]\nid = a/b\nneeds-information = ../../.ssh/id_rsa\n").detail());
        assertEquals("needs-information names the reserved key 'id'",
                refused("[trophy]\nid = a/b\nneeds-information = id\n").detail());
        assertEquals("needs-information lists 'X' twice",
                refused("[trophy]\nid = a/b\nneeds-information = x, X\n").detail());
    }

    @Test
    void invalidUtf8IsAnEncodingRejection() {
        byte[] bytes = "[trophy]\nid = a/b\nowner = J\u00f6rg\n".getBytes(StandardCharsets.ISO_8859_1);
        TrophyParser.Malformed malformed = refused(bytes);
        assertEquals(RejectionReason.INVALID_ENCODING, malformed.reason());
        assertEquals("invalid UTF-8 at byte 27", malformed.detail());
    }

    @Test
    void binaryGarbageWithNulBytesIsAnEncodingRejection() {
        TrophyParser.Malformed malformed = refused(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
        assertEquals(RejectionReason.INVALID_ENCODING, malformed.reason());
        assertEquals("NUL byte at byte 4 (binary data, not text)", malformed.detail());
    }

    @Test
    void aByteOrderMarkAndCrlfAreAcceptedAndTheSignedSectionIsNormalised() {
        byte[] crlf = ("\uFEFF" + REPORT_FIRST_BUG.replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8);
        TrophyParser.Result result = TrophyParser.parse(crlf);
        Trophy trophy = assertInstanceOf(TrophyParser.Parsed.class, result).trophy();
        assertEquals(REPORT_FIRST_BUG, trophy.trophySection());
    }

    @Test
    void theSignedSectionKeepsCommentsAndContinuationsButEndsWithOneNewline() {
        String text = "# written by the client\n[trophy]\nid = a/b\n# a note\nx = one\n  two\n\n\n   \n";
        assertEquals("[trophy]\nid = a/b\n# a note\nx = one\n  two\n", trophy(text).trophySection());
        assertEquals("[trophy]\nid = a/b\n", trophy("[trophy]\nid = a/b").trophySection());
    }

    @Test
    void oversizedTrophiesAreTooLarge() {
        assertEquals(RejectionReason.TOO_LARGE, refused(new byte[TrophyParser.MAX_BYTES + 1]).reason());
        TrophyParser.Malformed manyLines = refused("[trophy]\nid = a/b\n" + "\n".repeat(10_000));
        assertEquals(RejectionReason.TOO_LARGE, manyLines.reason());
        assertEquals("more than 10000 lines", manyLines.detail());
        TrophyParser.Malformed longLine = refused("[trophy]\nid = a/b\nx = " + "y".repeat(70_000) + "\n");
        assertEquals(RejectionReason.TOO_LARGE, longLine.reason());
        assertEquals("line 3 is longer than 65536 characters", longLine.detail());
    }

    @Test
    void exactlyTenThousandLinesAreStillAccepted() {
        String text = "[trophy]\nid = a/b\n" + "#\n".repeat(9_998);
        assertEquals("a/b", trophy(text).id().toString());
    }
}
