package org.accomplishments.validator.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.accomplishments.validator.trophy.AccomplishmentId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionLoaderTest {

    static final Instant NOW = Instant.parse("2026-11-21T19:22:05Z");
    static final AccomplishmentId FIRST_BUG = new AccomplishmentId("community", "first-bug");

    @TempDir
    Path tmp;

    final CollectionLoader loader = new CollectionLoader(CollectionLoader.Limits.DEFAULT, Clock.fixed(NOW, ZoneOffset.UTC));

    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static String definition(String title) {
        return "[accomplishment]\ntitle = " + title + "\ndescription = d\nneeds-signing = true\n";
    }

    static Path collection(Path root, String langdefault) throws IOException {
        write(root.resolve("accomplishments/community/ABOUT"), "[general]\nname = Community\nlangdefault = " + langdefault + "\n");
        return root.resolve("accomplishments/community");
    }

    static Path executable(Path file, String text) throws IOException {
        write(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void anAccomplishmentInASetFolderGetsAnIdWithoutTheSet() throws IOException {
        Path community = collection(tmp, "en");
        write(community.resolve("en/quality/first-bug.accomplishment"), definition("First Bug"));
        write(community.resolve("en/top-level.accomplishment"), definition("Top"));
        AccomplishmentCatalog catalog = loader.load(List.of(tmp));
        assertEquals(List.of(), catalog.problems());
        assertEquals(List.of(), catalog.warnings());
        assertEquals(2, catalog.size());
        assertEquals("First Bug", catalog.find(FIRST_BUG).orElseThrow().title());
        assertTrue(catalog.find(new AccomplishmentId("community", "top-level")).isPresent());
        assertEquals(NOW, catalog.loadedAt());
    }

    @Test
    void anEarlierRootTakesPrecedenceForTheSameAccomplishment() throws IOException {
        Path override = tmp.resolve("home/accomplishments");
        Path system = tmp.resolve("usr/share/accomplishments");
        write(collection(system, "en").resolve("en/quality/first-bug.accomplishment"), definition("System"));
        write(system.resolve("accomplishments/community/en/other.accomplishment"), definition("Only in system"));
        write(override.resolve("accomplishments/community/en/first-bug.accomplishment"), definition("Override"));
        AccomplishmentCatalog catalog = loader.load(List.of(override, system));
        assertEquals("Override", catalog.find(FIRST_BUG).orElseThrow().title());
        assertEquals("Only in system", catalog.find(new AccomplishmentId("community", "other")).orElseThrow().title());
        assertEquals(system, catalog.collection("community").orElseThrow().root(), "ABOUT only in the system root");
        assertEquals(List.of(), catalog.problems());

        AccomplishmentCatalog reversed = loader.load(List.of(system, override));
        assertEquals("System", reversed.find(FIRST_BUG).orElseThrow().title());
    }

    @Test
    void aMissingRootIsSkippedWithAProblem() throws IOException {
        write(collection(tmp, "en").resolve("en/first-bug.accomplishment"), definition("First Bug"));
        Path missing = tmp.resolve("nowhere");
        AccomplishmentCatalog catalog = loader.load(List.of(missing, tmp));
        assertEquals(1, catalog.size());
        assertEquals(List.of(new LoadProblem(missing, "collection root does not exist; skipped")), catalog.problems());
    }

    @Test
    void theSearchPathIsColonSeparated() {
        assertEquals(List.of(Path.of("/home/u/accomplishments"), Path.of("/usr/share/accomplishments")),
                CollectionLoader.searchPath("/home/u/accomplishments::/usr/share/accomplishments"));
    }

    @Test
    void aLogicScriptIsFoundWithAndWithoutASetFolder() throws IOException {
        Path community = collection(tmp, "en");
        write(community.resolve("en/quality/first-bug.accomplishment"), definition("First Bug"));
        write(community.resolve("en/plain.accomplishment"), definition("Plain"));
        Path inSet = executable(tmp.resolve("scripts/community/quality/first-bug.py"), "#!/bin/sh\nexit 0\n");
        Path flat = executable(tmp.resolve("scripts/community/plain.sh"), "#!/bin/sh\nexit 0\n");
        AccomplishmentCatalog catalog = loader.load(List.of(tmp));
        assertEquals(Optional.of(inSet), catalog.logicScript(FIRST_BUG));
        assertEquals(Optional.of(flat), catalog.logicScript(new AccomplishmentId("community", "plain")));
        assertEquals(List.of(), catalog.problems());
    }

    @Test
    void aNonExecutableScriptIsIgnoredWithAProblem() throws IOException {
        write(collection(tmp, "en").resolve("en/first-bug.accomplishment"), definition("First Bug"));
        Path script = write(tmp.resolve("scripts/community/first-bug.py"), "print('hi')\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        AccomplishmentCatalog catalog = loader.load(List.of(tmp));
        assertEquals(Optional.empty(), catalog.logicScript(FIRST_BUG));
        assertEquals(List.of(new LoadProblem(script, "logic script is not an executable regular file; ignored")),
                catalog.problems());
    }

    @Test
    void severalScriptsForOneAccomplishmentPickTheFirstInSortedOrder() throws IOException {
        write(collection(tmp, "en").resolve("en/first-bug.accomplishment"), definition("First Bug"));
        Path py = executable(tmp.resolve("scripts/community/first-bug.py"), "#!/bin/sh\n");
        executable(tmp.resolve("scripts/community/first-bug.sh"), "#!/bin/sh\n");
        AccomplishmentCatalog catalog = loader.load(List.of(tmp));
        assertEquals(Optional.of(py), catalog.logicScript(FIRST_BUG));
        assertEquals(1, catalog.problems().size());
        assertTrue(catalog.problems().get(0).reason().startsWith("several logic scripts for community/first-bug"),
                catalog.problems().toString());
    }

    @Test
    void anEarlierRootsScriptWinsAndAScriptForNothingIsReported() throws IOException {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        write(collection(second, "en").resolve("en/first-bug.accomplishment"), definition("First Bug"));
        Path winner = executable(first.resolve("scripts/community/first-bug.py"), "#!/bin/sh\n");
        executable(second.resolve("scripts/community/first-bug.py"), "#!/bin/sh\n");
        Path stray = executable(second.resolve("scripts/community/nothing.py"), "#!/bin/sh\n");
        AccomplishmentCatalog catalog = loader.load(List.of(first, second));
        assertEquals(Optional.of(winner), catalog.logicScript(FIRST_BUG));
        assertEquals(List.of(
                new LoadProblem(first.resolve("accomplishments"), "no accomplishments folder in this root"),
                new LoadProblem(stray, "logic script for an unknown accomplishment community/nothing; ignored")),
                catalog.problems());
    }

    @Test
    void malformedFilesAreReportedAndTheRestStillLoads() throws IOException {
        Path community = collection(tmp, "en");
        write(community.resolve("en/first-bug.accomplishment"), definition("First Bug"));
        Path noTitle = write(community.resolve("en/no-title.accomplishment"), "[accomplishment]\ndescription = d\n");
        Path latin1 = community.resolve("en/latin1.accomplishment");
        Files.write(latin1, "[accomplishment]\ntitle = J\u00f6rg\ndescription = d\n".getBytes(StandardCharsets.ISO_8859_1));
        Path badRegex = write(community.resolve("extrainformation/bad"), "[label]\nen=x\n[description]\nen=x\n[regex]\nvalue=(\n");
        write(community.resolve("extrainformation/good"), "[label]\nen=x\n[description]\nen=x\n");
        Path badVectors = write(tmp.resolve("tests/community/first-bug"), "[success]\na=b\n");
        AccomplishmentCatalog catalog = loader.load(List.of(tmp));
        assertEquals(1, catalog.size());
        assertTrue(catalog.extraInformation("community", "good").isPresent());
        assertFalse(catalog.extraInformation("community", "bad").isPresent());
        assertEquals(Optional.empty(), catalog.testVectors(FIRST_BUG));
        assertEquals(List.of(
                new LoadProblem(latin1, "invalid UTF-8 at byte 26"),
                new LoadProblem(noTitle, "[accomplishment] has no title"),
                new LoadProblem(badRegex, "[regex] value is not a valid regular expression: Unclosed group near index 1"),
                new LoadProblem(badVectors, "no [failure] section")),
                catalog.problems());
    }

    @Test
    void repeatedKeysAndSectionsInCollectionFilesLoadLastWinsWithAWarning() throws IOException {
        Path community = collection(tmp, "en");
        write(community.resolve("en/registered.accomplishment"), definition("Registered"));
        Path twice = write(community.resolve("en/first-bug.accomplishment"), definition("First Bug")
                + "depends = community/registered, community/other\ndepends = community/registered\n");
        Path item = write(community.resolve("extrainformation/email"),
                "[label]\nen = Old\n[description]\nen = d\n[label]\nen = Email\n");
        Path vectors = write(tmp.resolve("tests/community/first-bug"),
                "[success]\nemail = a@example.org\nemail = b@example.org\n[failure]\nemail = c@example.org\n");
        AccomplishmentCatalog catalog = loader.load(List.of(tmp));
        assertEquals(List.of(), catalog.problems());
        assertEquals(List.of(new AccomplishmentId("community", "registered")),
                catalog.find(FIRST_BUG).orElseThrow().depends());
        assertEquals("Email", catalog.extraInformation("community", "email").orElseThrow().label("en").orElseThrow());
        assertEquals("b@example.org", catalog.testVectors(FIRST_BUG).orElseThrow().success().get("email"));
        String python2 = ", as with the 2012 server (Python 2 ConfigParser)";
        assertEquals(List.of(
                new LoadWarning(twice, "line 6: duplicate key 'depends' in section [accomplishment] (earlier at line 5);"
                        + " the last value counts" + python2),
                new LoadWarning(item, "line 5: duplicate section [label] (earlier at line 1); the sections are merged" + python2),
                new LoadWarning(item, "line 6: duplicate key 'en' in section [label] (earlier at line 2);"
                        + " the last value counts" + python2),
                new LoadWarning(vectors, "line 3: duplicate key 'email' in section [success] (earlier at line 2);"
                        + " the last value counts" + python2)),
                catalog.warnings());
    }

    @Test
    void aFileThatDoesNotLoadGetsAProblemAndNoWarning() throws IOException {
        Path community = collection(tmp, "en");
        Path broken = write(community.resolve("en/first-bug.accomplishment"),
                "[accomplishment]\ndescription = d\ndescription = again\n");
        AccomplishmentCatalog catalog = loader.load(List.of(tmp));
        assertEquals(List.of(new LoadProblem(broken, "[accomplishment] has no title")), catalog.problems());
        assertEquals(List.of(), catalog.warnings());
    }

    @Test
    void anOversizedDefinitionIsNotRead() throws IOException {
        Path community = collection(tmp, "en");
        Path big = write(community.resolve("en/big.accomplishment"), definition("Big") + "summary = " + "x".repeat(2000) + "\n");
        CollectionLoader small = new CollectionLoader(new CollectionLoader.Limits(1000, 1024), Clock.systemUTC());
        AccomplishmentCatalog catalog = small.load(List.of(tmp));
        assertEquals(0, catalog.size());
        assertEquals(List.of(new LoadProblem(big, "larger than 1024 bytes (" + Files.size(big) + ")")), catalog.problems());
    }

    @Test
    void theWalkStopsAfterTooManyEntries() throws IOException {
        Path community = collection(tmp, "en");
        for (int i = 0; i < 20; i++) {
            write(community.resolve("en/a" + i + ".accomplishment"), definition("A" + i));
        }
        CollectionLoader small = new CollectionLoader(new CollectionLoader.Limits(10, 1024 * 1024), Clock.systemUTC());
        AccomplishmentCatalog catalog = small.load(List.of(tmp));
        assertTrue(catalog.size() < 20);
        assertTrue(catalog.problems().stream().anyMatch(p -> p.reason().startsWith("more than 10 entries")),
                catalog.problems().toString());
    }

    @Test
    void aCollectionWithoutAboutIsSkipped() throws IOException {
        Path dir = tmp.resolve("accomplishments/orphan");
        write(dir.resolve("en/x.accomplishment"), definition("X"));
        AccomplishmentCatalog catalog = loader.load(List.of(tmp));
        assertEquals(0, catalog.size());
        assertEquals(List.of(new LoadProblem(dir, "collection has no ABOUT file in any root; skipped")), catalog.problems());
    }

    @Test
    void translationsFallBackToTheDefaultLanguageAndMayNotChangeTheRules() throws IOException {
        Path community = collection(tmp, "en");
        write(community.resolve("en/first-bug.accomplishment"), definition("First Bug"));
        write(community.resolve("en/second.accomplishment"), definition("Second"));
        Path de = write(community.resolve("de/first-bug.accomplishment"),
                "[accomplishment]\ntitle = Erster Fehler\ndescription = d\nneeds-signing = false\n");
        AccomplishmentCatalog catalog = loader.load(List.of(tmp));
        assertEquals("Erster Fehler", catalog.find(FIRST_BUG, "de_AT").orElseThrow().title());
        assertEquals("First Bug", catalog.find(FIRST_BUG).orElseThrow().title());
        assertTrue(catalog.find(FIRST_BUG).orElseThrow().needsSigning(), "the default language counts");
        assertEquals("Second", catalog.find(new AccomplishmentId("community", "second"), "de").orElseThrow().title());
        assertEquals(List.of(new LoadProblem(de,
                "translation disagrees with the default language on needs-signing; the default language counts")),
                catalog.problems());
    }

    @Test
    void symbolicLinksInsideARootAreFollowedWithoutLooping() throws IOException {
        Path community = collection(tmp, "en");
        write(community.resolve("en/first-bug.accomplishment"), definition("First Bug"));
        Files.createSymbolicLink(community.resolve("en/loop"), community.resolve("en"));
        AccomplishmentCatalog catalog = loader.load(List.of(tmp));
        assertEquals(1, catalog.size());
        assertTrue(catalog.problems().stream().anyMatch(p -> p.reason().contains("also defined in")),
                catalog.problems().toString());
    }

    @Test
    void dangerousNamesNeverBecomeIds() throws IOException {
        Path community = collection(tmp, "en");
        Path odd = write(community.resolve("en/sneaky..name.accomplishment"), definition("Sneaky"));
        AccomplishmentCatalog catalog = loader.load(List.of(tmp));
        assertEquals(0, catalog.size());
        assertEquals(List.of(new LoadProblem(odd, "not a valid accomplishment name; ignored")), catalog.problems());
    }
}
