package org.accomplishments.validator.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.accomplishments.validator.trophy.Accomplishment;
import org.accomplishments.validator.trophy.AccomplishmentId;
import org.accomplishments.validator.trophy.ExtraInformationItem;
import org.accomplishments.validator.trophy.TestVectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real ubuntu-community collection (shared/fixtures) must load as the 2012 system knew it. */
class RealCollectionTest {

    static final String FIXTURE = "shared/fixtures/ubuntu-community-accomplishments";
    static final Set<String> NOT_TRANSLATED = Set.of("ubuntu-power-users", "ubuntu-youth", "ubuntu-youth-council",
            "first-autopilot-test", "first-bug-fixed", "first-manual-test", "ubuntu-testcase-member");

    static Path root;
    static AccomplishmentCatalog catalog;

    @BeforeAll
    static void load() {
        root = findFixture();
        catalog = new CollectionLoader().load(List.of(root));
    }

    /** Searches upward from the working directory, so the test runs from app/, the checkout or a worktree. */
    static Path findFixture() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(FIXTURE);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return fail("no directory containing " + FIXTURE + " above " + Path.of("").toAbsolutePath()
                + "; clone the project so that shared/ is a sibling of the checkout (e.g. /work/main and /work/shared)");
    }

    static AccomplishmentId id(String name) {
        return new AccomplishmentId("ubuntu-community", name);
    }

    @Test
    void theCollectionIsInstalledWithEnglishAsDefault() {
        InstalledCollection collection = catalog.collection("ubuntu-community").orElseThrow();
        assertEquals("Ubuntu Community", collection.about().name());
        assertEquals("en", collection.about().langdefault());
        assertEquals(root, collection.root());
    }

    @Test
    void allOneHundredSeventeenLoadWithoutProblems() {
        assertEquals(117, catalog.size());
        assertEquals(List.of(), catalog.problems());
    }

    @Test
    void theArchaeologistsRepeatedDependsCountsWithItsLastValueAndIsTheOnlyWarning() {
        // en/support/askubuntu-archaeologist.accomplishment has 'depends' twice (lines 8 and 17). Python 2's
        // ConfigParser kept the last one silently; so do we, and say so. Its de and pt_BR translations and its
        // test vectors have no repeats of their own: only the English file is sloppy.
        Path archaeologist = root.resolve(
                "accomplishments/ubuntu-community/en/support/askubuntu-archaeologist.accomplishment");
        assertEquals(List.of(new LoadWarning(archaeologist,
                "line 17: duplicate key 'depends' in section [accomplishment] (earlier at line 8);"
                        + " the last value counts, as with the 2012 server (Python 2 ConfigParser)")),
                catalog.warnings());
        Accomplishment loaded = catalog.find(id("askubuntu-archaeologist")).orElseThrow();
        assertEquals(List.of(id("askubuntu-excavator")), loaded.depends());
        assertEquals(Set.of("en", "de", "pt_BR"), catalog.languages(id("askubuntu-archaeologist")));
        for (String locale : List.of("de", "pt_BR")) {
            assertEquals(List.of(id("askubuntu-excavator")),
                    catalog.find(id("askubuntu-archaeologist"), locale).orElseThrow().depends(), locale);
        }
        assertTrue(catalog.testVectors(id("askubuntu-archaeologist")).isPresent());
    }

    @Test
    void everyAccomplishmentIsGlobalAndNeedsInformation() {
        for (Accomplishment accomplishment : catalog.accomplishments()) {
            assertEquals("en", accomplishment.language());
            assertTrue(accomplishment.needsSigning(), accomplishment.id().toString());
            assertFalse(accomplishment.needsInformation().isEmpty(), accomplishment.id().toString());
        }
    }

    @Test
    void aRealDefinitionReadsAsWritten() {
        Accomplishment report = catalog.find(id("report-first-bug")).orElseThrow();
        assertEquals("Report First Bug", report.title());
        assertEquals(List.of("QA"), report.categories());
        assertEquals(List.of("launchpad-email"), report.needsInformation());
        assertEquals(List.of(id("registered-on-launchpad")), report.depends());
        assertTrue(report.documentation().steps().orElseThrow().startsWith("Open up a terminal"));
    }

    @Test
    void everyDependencyNamesAKnownAccomplishment() {
        Set<AccomplishmentId> unknown = new TreeSet<>();
        for (Accomplishment accomplishment : catalog.accomplishments()) {
            for (AccomplishmentId dependency : accomplishment.depends()) {
                if (catalog.find(dependency).isEmpty()) {
                    unknown.add(dependency);
                }
            }
        }
        assertEquals(Set.of(), unknown);
    }

    @Test
    void germanAndBrazilianLookupsFallBackToEnglishForTheSevenUntranslated() {
        int german = 0;
        int brazilian = 0;
        for (AccomplishmentId id : catalog.ids()) {
            Accomplishment de = catalog.find(id, "de_DE.UTF-8").orElseThrow();
            Accomplishment pt = catalog.find(id, "pt_BR").orElseThrow();
            if (NOT_TRANSLATED.contains(id.name())) {
                assertEquals("en", de.language(), id.toString());
                assertEquals("en", pt.language(), id.toString());
            } else {
                assertEquals("de", de.language(), id.toString());
                assertEquals("pt_BR", pt.language(), id.toString());
                german++;
                brazilian++;
            }
        }
        assertEquals(110, german); // 117 minus the seven untranslated
        assertEquals(110, brazilian);
        assertEquals("pt_BR", catalog.find(id("report-first-bug"), "pt-br").orElseThrow().language());
        assertEquals("en", catalog.find(id("report-first-bug"), "pt_PT").orElseThrow().language(), "no pt folder");
        assertEquals("en", catalog.find(id("report-first-bug"), "fr").orElseThrow().language());
        assertFalse(catalog.find(id("report-first-bug"), "de").orElseThrow().title()
                .equals(catalog.find(id("report-first-bug")).orElseThrow().title()));
    }

    @Test
    void theThreeExtraInformationItemsLoadAndTheAskUbuntuRegexWorks() {
        assertEquals(Set.of("askubuntu-user-url", "irc-nickname", "launchpad-email"),
                catalog.extraInformation("ubuntu-community").keySet());
        ExtraInformationItem url = catalog.extraInformation("ubuntu-community", "askubuntu-user-url").orElseThrow();
        assertTrue(url.matches("http://askubuntu.com/users/123/someone"));
        assertFalse(url.matches("http://evil.example/users/1/x"));
        assertEquals("Launchpad Email",
                catalog.extraInformation("ubuntu-community", "launchpad-email").orElseThrow().label("en_US").orElseThrow());
        assertTrue(catalog.extraInformation("ubuntu-community", "launchpad-email").orElseThrow().regex().isEmpty());
    }

    @Test
    void testVectorsAreLoadedForEveryLoadedAccomplishment() {
        for (AccomplishmentId id : catalog.ids()) {
            assertTrue(catalog.testVectors(id).isPresent(), id.toString());
        }
        TestVectors report = catalog.testVectors(id("report-first-bug")).orElseThrow();
        assertEquals("jono@ubuntu.com", report.success().get("launchpad-email"));
        assertEquals("fail@fail.com", report.failure().get("launchpad-email"));
    }

    @Test
    void theFixtureHasNoLogicScripts() {
        assertTrue(catalog.ids().stream().allMatch(id -> catalog.logicScript(id).isEmpty()));
    }
}
