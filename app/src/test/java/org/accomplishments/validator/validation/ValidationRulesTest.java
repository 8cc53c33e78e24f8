package org.accomplishments.validator.validation;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each check before the logic script, and the reason a user is told when it fails. */
@MicronautTest(transactional = false)
class ValidationRulesTest extends PipelineScenario {
    @jakarta.inject.Inject
    TrophyRepository trophies;

    @Override
    protected Map<String, String> accomplishments() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("ok", "exit 0");
        a.put("scriptless", null);
        return a;
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = super.getProperties();
        accomplishment("local-one", "exit 0", "needs-signing = false\n");
        accomplishment("needs-nick", "exit 0", "needs-signing = true\nneeds-information = nick\n");
        accomplishment("follows-ok", "exit 0", "needs-signing = true\nneeds-information = email\ndepends = scn/ok\n");
        accomplishment("follows-never", "exit 0",
                "needs-signing = true\nneeds-information = email\ndepends = scn/scriptless\n");
        return p;
    }

    @Test
    void aTrophyWhoseIdDiffersFromItsPathIsRejected() {
        Share share = newShare("a1", "a1@example.org");
        write(share.trophy("ok"), trophyText("scriptless", "a1@example.org"));

        assertEquals("id-path-mismatch", awaitRejection(share, "ok"));
    }

    @Test
    void aTrophyWhoseIdPointsOutsideTheCollectionsIsMalformed() {
        Share share = newShare("a2", "a2@example.org");
        write(share.trophy("ok"), trophyText("ok", "a2@example.org").replace("id = scn/ok", "id = ../../etc/passwd"));

        assertEquals("malformed", awaitRejection(share, "ok"));
    }

    @Test
    void aTrophyForAnUninstalledAccomplishmentIsRejected() {
        Share share = newShare("a3", "a3@example.org");
        write(share.trophy("nobody-knows"), trophyText("nobody-knows", "a3@example.org"));

        assertEquals("unknown-accomplishment", awaitRejection(share, "nobody-knows"));
    }

    @Test
    void aTrophyAskingToSignALocalAccomplishmentIsRejected() {
        Share share = newShare("a4", "a4@example.org");
        write(share.trophy("local-one"), trophyText("local-one", "a4@example.org"));

        assertEquals("not-global", awaitRejection(share, "local-one"));
    }

    @Test
    void aLocalTrophyIsLeftAloneAndNothingIsWritten() {
        Share share = newShare("a5", "a5@example.org");
        write(share.trophy("local-one"), "[trophy]\nversion = 0.2\nid = scn/local-one\nneeds-signing = false\n");

        awaitState(share, "local-one", TrophyState.IGNORED, Duration.ofSeconds(20));
        assertFalse(Files.exists(share.asc("local-one")));
        assertFalse(Files.exists(share.rejected("local-one")));
    }

    @Test
    void aMissingValueInTheTrophyIsMissingInformation() {
        Share share = newShare("a6", "a6@example.org");
        write(share.trophy("ok"), "[trophy]\nversion = 0.2\nid = scn/ok\nneeds-signing = true\n");

        assertEquals("missing-information", awaitRejection(share, "ok"));
    }

    @Test
    void aShareWithoutTheExtraInformationFileIsMissingInformation() {
        Share share = newShare("a7", null);
        putTrophy(share, "ok", "a7@example.org");

        assertEquals("missing-information", awaitRejection(share, "ok"));
    }

    @Test
    void aValueThatDiffersFromTheSharesExtraInformationIsAMismatch() {
        Share share = newShare("a8", "a8@example.org");
        putTrophy(share, "ok", "someone-else@example.org");

        assertEquals("information-mismatch", awaitRejection(share, "ok"));
    }

    @Test
    void aValueThatFailsTheDescriptorsPatternIsInvalid() {
        Share share = newShare("a9", "not-an-address");
        putTrophy(share, "ok", "not-an-address");

        assertEquals("invalid-information", awaitRejection(share, "ok"));
    }

    @Test
    void anExtraInformationFileThatIsASymlinkIsNotFollowed() throws Exception {
        Share share = newShare("a10", null);
        Files.createDirectories(share.folder().resolve(".extrainformation"));
        Files.createSymbolicLink(share.folder().resolve(".extrainformation/email"), Files.writeString(
                dataDir.resolve("outside-email"), "a10@example.org"));
        putTrophy(share, "ok", "a10@example.org");

        assertEquals("missing-information", awaitRejection(share, "ok"));
    }

    @Test
    void anAccomplishmentWithoutALogicScriptIsRejected() {
        Share share = newShare("a11", "a11@example.org");
        putTrophy(share, "scriptless", "a11@example.org");

        assertEquals("no-logic-script", awaitRejection(share, "scriptless"));
    }

    @Test
    void aDependentTrophyWaitsForItsDependencyThenIsSigned() {
        Share share = newShare("a12", "a12@example.org");
        putTrophy(share, "follows-ok", "a12@example.org");
        awaitState(share, "follows-ok", TrophyState.WAITING, Duration.ofSeconds(20));
        assertEquals("dependencies-unmet", row(share, "follows-ok").orElseThrow().reason());

        putTrophy(share, "ok", "a12@example.org");

        awaitFile(share.asc("ok"), Duration.ofSeconds(20));
        awaitFile(share.asc("follows-ok"), Duration.ofSeconds(20));
    }

    @Test
    void aDependencyNeverSignedEndsInDependenciesUnmet() {
        Share share = newShare("a13", "a13@example.org");
        putTrophy(share, "follows-never", "a13@example.org");

        assertEquals("dependencies-unmet", awaitRejection(share, "follows-never"));
    }

    @Test
    void aDependencySignedInAnotherShareDoesNotCount() {
        Share first = newShare("a14", "a14@example.org");
        putTrophy(first, "ok", "a14@example.org");
        awaitFile(first.asc("ok"), Duration.ofSeconds(20));
        Share second = newShare("a14", "a14@example.org");
        putTrophy(second, "follows-ok", "a14@example.org");

        assertEquals("dependencies-unmet", awaitRejection(second, "follows-ok"));
    }

    @Test
    void aChangedTrophyIsValidatedAgainAndTheStaleVerdictIsReplaced() {
        Share share = newShare("a15", "a15@example.org");
        putTrophy(share, "ok", "wrong@example.org");
        assertEquals("information-mismatch", awaitRejection(share, "ok"));

        putTrophy(share, "ok", "a15@example.org");

        awaitFile(share.asc("ok"), Duration.ofSeconds(20));
        await(() -> Files.exists(share.rejected("ok")) ? java.util.Optional.empty() : java.util.Optional.of(true),
                Duration.ofSeconds(10), "the stale .rejected to be removed");
    }

    @Test
    void aSignatureWrittenButNotRecordedIsRecognisedNotSignedAgain() throws Exception {
        Share share = newShare("a16", "a16@example.org");
        putTrophy(share, "ok", "a16@example.org");
        awaitFile(share.asc("ok"), Duration.ofSeconds(20));
        byte[] before = Files.readAllBytes(share.asc("ok"));
        TrophyRow row = row(share, "ok").orElseThrow();

        // What a crash between writing the .asc and recording it leaves: a pending row beside a finished file.
        trophies.restart(row.id(), java.util.List.of("SIGNED"), null, ledger.now());
        inbox.rescanAll();

        awaitState(share, "ok", TrophyState.SIGNED, Duration.ofSeconds(20));
        await(() -> ledger.history(row.id()).stream().filter(e -> e.kind().equals("recognised")).findFirst(),
                Duration.ofSeconds(20), "a 'recognised' event");
        assertArrayEquals(before, Files.readAllBytes(share.asc("ok")));
    }

    @Test
    void aVerdictACrashInterruptedIsWrittenAtOnceAfterTheRestart() throws Exception {
        Share share = newShare("a20", "a20@example.org");
        putTrophy(share, "ok", "a20@example.org");
        awaitFile(share.asc("ok"), Duration.ofSeconds(20));
        TrophyRow row = row(share, "ok").orElseThrow();
        // What a kill -9 between the verdict and its file leaves: SIGNING, held by a dead worker's lease for
        // minutes, and no .asc on disk.
        java.time.Instant later = ledger.now().plus(Duration.ofMinutes(10));
        TrophyRow signed = ledger.find(row.id()).orElseThrow();
        trophies.update(new TrophyRow(signed.id(), signed.shareId(), signed.path(), signed.sha256(), signed.size(),
                signed.modifiedAt(), signed.accomplishmentId(), TrophyState.SIGNING.name(), signed.attempts(),
                signed.notYetCount(), signed.errorCount(), signed.dependencyWaits(), later, null, null, null, null,
                signed.firstSeenAt(), ledger.now(), null, "dead-node/0", later));
        Files.delete(share.asc("ok"));

        ledger.resumeAfterRestart();

        String asc = awaitFile(share.asc("ok"), Duration.ofSeconds(10));
        assertTrue(asc.contains("share-id = " + share.id()), asc);
        awaitState(share, "ok", TrophyState.SIGNED, Duration.ofSeconds(10));
    }

    @Test
    void anOperatorsRevalidationRunsEveryCheckAndTheScriptAgain() throws Exception {
        Share share = newShare("a19", "a19@example.org");
        putTrophy(share, "ok", "a19@example.org");
        awaitFile(share.asc("ok"), Duration.ofSeconds(20));
        // The .asc is written before the row leaves SIGNING; a revalidation is refused while the worker holds it.
        awaitState(share, "ok", TrophyState.SIGNED, Duration.ofSeconds(20));
        TrophyRow row = row(share, "ok").orElseThrow();

        assertTrue(ledger.requeue(row.id(), "test").isPresent());

        await(() -> ledger.history(row.id()).stream().filter(e -> e.kind().equals("script")).skip(1).findFirst(),
                Duration.ofSeconds(20), "a second script run");
        awaitState(share, "ok", TrophyState.SIGNED, Duration.ofSeconds(20));
    }

    @Test
    void aDeletedSignatureIsWrittenAgainByTheRescan() throws Exception {
        Share share = newShare("a17", "a17@example.org");
        putTrophy(share, "ok", "a17@example.org");
        awaitFile(share.asc("ok"), Duration.ofSeconds(20));

        Files.delete(share.asc("ok"));

        String again = awaitFile(share.asc("ok"), Duration.ofSeconds(20));
        assertTrue(again.contains("share-id = " + share.id()));
    }

    @Test
    void theUsersFilesAreNeverChanged() throws Exception {
        Share share = newShare("a18", "a18@example.org");
        putTrophy(share, "ok", "a18@example.org");
        putTrophy(share, "scriptless", "a18@example.org");
        var before = snapshotUserFiles(share.folder());

        awaitFile(share.asc("ok"), Duration.ofSeconds(20));
        awaitFile(share.rejected("scriptless"), Duration.ofSeconds(20));

        var after = snapshotUserFiles(share.folder());
        assertEquals(before.keySet(), after.keySet());
        before.forEach((path, bytes) -> assertArrayEquals(bytes, after.get(path), path.toString()));
    }
}
