package org.accomplishments.validator.trophy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccomplishmentParserTest {

    static final AccomplishmentId ID = AccomplishmentId.parse("ubuntu-community/report-first-bug").orElseThrow();

    static final String REPORT_FIRST_BUG = """
            [accomplishment]
            title=Report First Bug
            description=You have reported your first bug in Ubuntu
            collection=ubuntu-community
            category=QA, Launchpad:Your Profile
            icon=default.png
            depends=ubuntu-community/registered-on-launchpad
            needs-signing=true
            needs-information=launchpad-email
            summary = A <i>bug</i> is a defect.
                When you report a bug it starts a conversation.
            steps: Open up a terminal.
            \tType in <tt>ubuntu-bug</tt>.
            help = #ubuntu-testing on Freenode
            author = Jono Bacon <jono@ubuntu.com>
            subcategory=Ask Ubuntu:Editing badges
            """;

    static String reason(String text) {
        return AccomplishmentParser.parse(ID, "en", text).failure().orElseThrow();
    }

    @Test
    void aRealDefinitionIsReadCompletely() {
        Accomplishment a = AccomplishmentParser.parse(ID, "en", REPORT_FIRST_BUG).orElseThrow();
        assertEquals(ID, a.id());
        assertEquals("en", a.language());
        assertEquals("Report First Bug", a.title());
        assertEquals("You have reported your first bug in Ubuntu", a.description());
        assertEquals(List.of("QA", "Launchpad:Your Profile"), a.categories());
        assertEquals(Optional.of("default.png"), a.icon());
        assertTrue(a.needsSigning());
        assertEquals(List.of("launchpad-email"), a.needsInformation());
        assertEquals(List.of(AccomplishmentId.parse("ubuntu-community/registered-on-launchpad").orElseThrow()), a.depends());
        assertFalse(a.humanIssued());
        assertEquals(Optional.of("A <i>bug</i> is a defect.\nWhen you report a bug it starts a conversation."),
                a.documentation().summary());
        assertEquals(Optional.of("Open up a terminal.\nType in <tt>ubuntu-bug</tt>."), a.documentation().steps());
        assertEquals(Optional.of("#ubuntu-testing on Freenode"), a.documentation().help());
        assertEquals(Optional.empty(), a.documentation().tips());
        assertEquals(List.of("collection", "subcategory"), List.copyOf(a.extras().keySet()));
    }

    @Test
    void needsSigningMissingFalseOrNoMeansLocal() {
        String base = "[accomplishment]\ntitle=t\ndescription=d\n";
        assertFalse(AccomplishmentParser.parse(ID, "en", base).orElseThrow().needsSigning());
        assertFalse(AccomplishmentParser.parse(ID, "en", base + "needs-signing=false\n").orElseThrow().needsSigning());
        assertFalse(AccomplishmentParser.parse(ID, "en", base + "needs-signing=no\n").orElseThrow().needsSigning());
        assertTrue(AccomplishmentParser.parse(ID, "en", base + "needs-signing=True\n").orElseThrow().needsSigning());
        assertTrue(AccomplishmentParser.parse(ID, "en", base + "needs-signing=yes\n").orElseThrow().needsSigning());
        assertTrue(AccomplishmentParser.parse(ID, "en", base + "needs-signing=1\n").orElseThrow().needsSigning());
        assertEquals("needs-signing must be true or false, not 'maybe'", reason(base + "needs-signing=maybe\n"));
    }

    @Test
    void aHumanIssuedAccomplishmentIsMarked() {
        String text = "[accomplishment]\ntitle=t\ndescription=d\nneeds-signing=true\nhuman-issued=true\n";
        assertTrue(AccomplishmentParser.parse(ID, "en", text).orElseThrow().humanIssued());
    }

    @Test
    void titleAndDescriptionAreRequired() {
        assertEquals("[accomplishment] has no title", reason("[accomplishment]\ndescription=d\n"));
        assertEquals("[accomplishment] has no description", reason("[accomplishment]\ntitle=t\ndescription=\n"));
        assertEquals("no [accomplishment] section", reason("[general]\ntitle=t\n"));
    }

    @Test
    void aMalformedDependencyMakesTheDefinitionMalformed() {
        assertEquals("depends: accomplishment id '../x' contains '..'",
                reason("[accomplishment]\ntitle=t\ndescription=d\ndepends=a/b, ../x\n"));
    }

    @Test
    void severalDependenciesAreReadFromACommaList() {
        Accomplishment a = AccomplishmentParser.parse(ID, "en",
                "[accomplishment]\ntitle=t\ndescription=d\ndepends = a/b, c/d,\n").orElseThrow();
        assertEquals(List.of("a/b", "c/d"), a.depends().stream().map(AccomplishmentId::toString).toList());
    }

    @Test
    void anInvalidItemNameInNeedsInformationIsMalformed() {
        assertEquals("needs-information names an invalid item '../secret'",
                reason("[accomplishment]\ntitle=t\ndescription=d\nneeds-information=../secret\n"));
    }

    static final String REPEATED_DEPENDS = "[accomplishment]\ntitle=t\ndescription=d\ndepends = a/b, a/c\ndepends=a/b\n";

    @Test
    void aRepeatedKeyCountsWithItsLastValueAsInTheRealArchaeologistFile() {
        // Definitions are installed by the administrator and were read by Python 2's ConfigParser: last wins.
        Accomplishment a = AccomplishmentParser.parse(ID, "en", REPEATED_DEPENDS).orElseThrow();
        assertEquals(List.of(new AccomplishmentId("a", "b")), a.depends());
    }

    @Test
    void readingAStrictlyParsedKeyFileStillRefusesTheRepeat() {
        assertEquals("line 5: duplicate key 'depends' in section [accomplishment] (first at line 4)",
                KeyFile.parse(REPEATED_DEPENDS).flatMap(file -> AccomplishmentParser.read(ID, "en", file))
                        .failure().orElseThrow());
    }
}
