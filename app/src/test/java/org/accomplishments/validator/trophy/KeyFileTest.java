package org.accomplishments.validator.trophy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyFileTest {

    static KeyFile parsed(String text) {
        return KeyFile.parse(text).orElseThrow();
    }

    static String reason(String text) {
        ParseResult<KeyFile> result = KeyFile.parse(text);
        assertFalse(result.isParsed(), "expected malformed: " + text);
        return result.failure().orElseThrow();
    }

    @Test
    void keysMayBeSeparatedByEqualsOrColonAndAreTrimmed() {
        KeyFile file = parsed("[a]\none = 1\ntwo: 2\nthree=3\nfour :four\n");
        assertEquals("1", file.section("a").orElseThrow().get("one").orElseThrow());
        assertEquals("2", file.section("a").orElseThrow().get("two").orElseThrow());
        assertEquals("3", file.section("a").orElseThrow().get("three").orElseThrow());
        assertEquals("four", file.section("a").orElseThrow().get("four").orElseThrow());
    }

    @Test
    void theFirstSeparatorSplitsSoUrlsSurviveInValues() {
        KeyFile file = parsed("[a]\nlinks: http://www.launchpad.net\ntitle = a=b: c\n");
        assertEquals("http://www.launchpad.net", file.section("a").orElseThrow().get("links").orElseThrow());
        assertEquals("a=b: c", file.section("a").orElseThrow().get("title").orElseThrow());
    }

    @Test
    void keysAreCaseInsensitiveAndStoredLowerCase() {
        KeyFile file = parsed("[trophy]\nNeeds-Signing = True\n");
        var section = file.section("trophy").orElseThrow();
        assertEquals(List.of("needs-signing"), List.copyOf(section.entries().keySet()));
        assertEquals("True", section.get("NEEDS-SIGNING").orElseThrow());
    }

    @Test
    void sectionNamesKeepTheirCase() {
        KeyFile file = parsed("[Trophy]\na = 1\n");
        assertTrue(file.section("Trophy").isPresent());
        assertFalse(file.section("trophy").isPresent());
    }

    @Test
    void continuationLinesStartingWithSpaceOrTabAreJoinedWithNewlines() {
        KeyFile file = parsed("[a]\nsteps: one\n    two\n\tthree\nnext = x\n");
        assertEquals("one\ntwo\nthree", file.section("a").orElseThrow().get("steps").orElseThrow());
        assertEquals("x", file.section("a").orElseThrow().get("next").orElseThrow());
    }

    @Test
    void anIndentedHashIsAContinuationNotAComment() {
        // As in the real collection: help = #launchpad on Freenode, continued with another channel.
        KeyFile file = parsed("[a]\nhelp = #ubuntu-testing on Freenode\n    #ubuntu-community-team on Freenode\n");
        assertEquals("#ubuntu-testing on Freenode\n#ubuntu-community-team on Freenode",
                file.section("a").orElseThrow().get("help").orElseThrow());
    }

    @Test
    void commentLinesInTheFirstColumnAreSkippedAndThereAreNoInlineComments() {
        KeyFile file = parsed("# header comment\n; another\n[a]\n# inside\nx = 1 ; not a comment\n;y = 2\n");
        var section = file.section("a").orElseThrow();
        assertEquals("1 ; not a comment", section.get("x").orElseThrow());
        assertFalse(section.has("y"));
    }

    @Test
    void blankLinesBetweenKeysAreAllowedAndSkippedInsideValues() {
        KeyFile file = parsed("\n[a]\n\nx = 1\n\n   \ny = 2\n\n    more\n");
        var section = file.section("a").orElseThrow();
        assertEquals("1", section.get("x").orElseThrow());
        assertEquals("2\nmore", section.get("y").orElseThrow());
    }

    @Test
    void anEmptyValueIsAllowed() {
        assertEquals("", parsed("[a]\nx =\n").section("a").orElseThrow().get("x").orElseThrow());
    }

    @Test
    void crlfAndLoneCrLineEndingsAreNormalised() {
        KeyFile file = parsed("[a]\r\nx = 1\r\n    two\ry = 2\r");
        var section = file.section("a").orElseThrow();
        assertEquals("1\ntwo", section.get("x").orElseThrow());
        assertEquals("2", section.get("y").orElseThrow());
        assertEquals("[a]\nx = 1\n    two\ny = 2\n", section.rawText());
    }

    @Test
    void eachSectionKeepsItsRawTextUpToTheNextHeader() {
        KeyFile file = parsed("# c\n[trophy]\nid = a/b\n# note\n\n[other]\nx=1");
        assertEquals("[trophy]\nid = a/b\n# note\n\n", file.section("trophy").orElseThrow().rawText());
        assertEquals("[other]\nx=1\n", file.section("other").orElseThrow().rawText());
        assertEquals(2, file.section("trophy").orElseThrow().headerLine());
    }

    @Test
    void aDuplicateKeyIsMalformedWithBothLineNumbers() {
        assertEquals("line 3: duplicate key 'depends' in section [a] (first at line 2)",
                reason("[a]\ndepends = x/y\nDepends = x/z\n"));
    }

    @Test
    void aDuplicateSectionIsMalformed() {
        assertEquals("line 3: duplicate section [a] (first at line 1)", reason("[a]\nx=1\n[a]\ny=2\n"));
    }

    @Test
    void refuseIsTheDefaultAndNeverListsDuplicates() {
        String text = "[a]\ndepends = x/y\ndepends = x/z\n";
        assertEquals(KeyFile.parse(text).failure(), KeyFile.parse(text, KeyFile.Duplicates.REFUSE).failure());
        assertTrue(parsed("[a]\nx = 1\n").duplicates().isEmpty());
        assertTrue(KeyFile.parse("[a]\nx = 1\n", KeyFile.Duplicates.REFUSE).orElseThrow().duplicates().isEmpty());
    }

    static KeyFile lastWins(String text) {
        return KeyFile.parse(text, KeyFile.Duplicates.LAST_WINS).orElseThrow();
    }

    @Test
    void inLastWinsModeTheLastValueOfARepeatedKeyCountsAndTheRepeatIsListed() {
        // As in the real askubuntu-archaeologist definition, read by Python 2's ConfigParser in 2012.
        KeyFile file = lastWins("[accomplishment]\ntitle = t\ndepends = a/b, a/c\nhelp = h\nDepends=a/b\n");
        var section = file.section("accomplishment").orElseThrow();
        assertEquals("a/b", section.get("depends").orElseThrow());
        assertEquals(List.of("title", "depends", "help"), List.copyOf(section.entries().keySet()),
                "the key keeps its first position, as in Python 2.7's OrderedDict");
        assertEquals(List.of(new KeyFile.Duplicate("accomplishment", Optional.of("depends"), 3, 5)), file.duplicates());
        assertEquals("line 5: duplicate key 'depends' in section [accomplishment] (earlier at line 3)",
                file.duplicates().get(0).describe());
    }

    @Test
    void inLastWinsModeEachRepeatIsListedAgainstTheOccurrenceItReplaces() {
        KeyFile file = lastWins("[a]\nx = 1\nx = 2\n    continued\nx = 3\n");
        assertEquals("3", file.section("a").orElseThrow().get("x").orElseThrow());
        assertEquals(List.of(new KeyFile.Duplicate("a", Optional.of("x"), 2, 3),
                new KeyFile.Duplicate("a", Optional.of("x"), 3, 5)), file.duplicates());
    }

    @Test
    void inLastWinsModeAContinuationExtendsTheReplacingValue() {
        KeyFile file = lastWins("[a]\nsteps = old\n    old too\nsteps = new\n    new too\n");
        assertEquals("new\nnew too", file.section("a").orElseThrow().get("steps").orElseThrow());
    }

    @Test
    void inLastWinsModeARepeatedSectionIsMergedLikePython2() {
        KeyFile file = lastWins("[a]\nx = 1\ny = 2\n[b]\nz = 3\n[a]\ny = two\nw = 4\n");
        assertEquals(List.of("a", "b"), List.copyOf(file.sections().keySet()));
        var a = file.section("a").orElseThrow();
        assertEquals(java.util.Map.of("x", "1", "y", "two", "w", "4"), a.entries());
        assertEquals(List.of("x", "y", "w"), List.copyOf(a.entries().keySet()));
        assertEquals(1, a.headerLine());
        assertEquals("[a]\nx = 1\ny = 2\n[a]\ny = two\nw = 4\n", a.rawText(), "all parts, in file order");
        assertEquals("[b]\nz = 3\n", file.section("b").orElseThrow().rawText());
        assertEquals(List.of(new KeyFile.Duplicate("a", Optional.empty(), 1, 6),
                new KeyFile.Duplicate("a", Optional.of("y"), 3, 7)), file.duplicates());
        assertEquals("line 6: duplicate section [a] (earlier at line 1)", file.duplicates().get(0).describe());
    }

    @Test
    void lastWinsModeRelaxesOnlyDuplicates() {
        assertEquals("line 3: expected 'key = value' or 'key: value'",
                KeyFile.parse("[a]\nx = 1\njust words\nx = 2\n", KeyFile.Duplicates.LAST_WINS).failure().orElseThrow());
        assertEquals("line 1: key outside any section (a [section] header must come first)",
                KeyFile.parse("x = 1\nx = 2\n", KeyFile.Duplicates.LAST_WINS).failure().orElseThrow());
    }

    @Test
    void aKeyBeforeTheFirstSectionIsMalformed() {
        assertEquals("line 1: key outside any section (a [section] header must come first)", reason("x = 1\n[a]\n"));
    }

    @Test
    void anIndentedLineWithNothingToContinueIsMalformed() {
        assertEquals("line 2: indented line with no key to continue", reason("[a]\n  orphan\n"));
        assertEquals("line 1: indented line with no key to continue", reason("  [a]\n"));
    }

    @Test
    void aLineWithoutSeparatorIsMalformed() {
        assertEquals("line 2: expected 'key = value' or 'key: value'", reason("[a]\njust words\n"));
    }

    @Test
    void oddKeysAndHeadersAreMalformed() {
        assertEquals("line 2: invalid key 'two words'", reason("[a]\ntwo words = x\n"));
        assertEquals("line 2: invalid key ''", reason("[a]\n= x\n"));
        assertEquals("line 1: malformed section header", reason("[a] trailing\n"));
        assertEquals("line 1: malformed section header", reason("[]\n"));
        assertEquals("line 1: section name has surrounding spaces", reason("[ a ]\n"));
    }

    @Test
    void controlCharactersAreRefusedWithTheirPosition() {
        assertEquals("line 2: control character U+001B", reason("[a]\nx = \u001b[31mred\n"));
        assertTrue(KeyFile.parse("[a]\nx =\tvalue with tab\n").isParsed());
    }

    @Test
    void theWorkIsBounded() {
        assertEquals("more than 10000 lines", reason("[a]\n" + "#\n".repeat(10_000)));
        assertEquals("line 2: longer than 65536 characters", reason("[a]\nx = " + "y".repeat(65_536) + "\n"));
    }

    @Test
    void anEmptyFileHasNoSections() {
        assertTrue(parsed("").sections().isEmpty());
        assertTrue(parsed("# only a comment\n\n").sections().isEmpty());
    }
}
