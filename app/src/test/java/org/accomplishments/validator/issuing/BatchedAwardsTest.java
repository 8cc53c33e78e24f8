package org.accomplishments.validator.issuing;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.auth.IssuerScope;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.auth.Role;
import org.accomplishments.validator.auth.TokenScopes;
import org.accomplishments.validator.validation.PipelineScenario;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HumanIssuedTrophies#writeAll}, the bulk path's batch: the same outcomes as one award at a time when a batch
 * meets an award that stands already (its insert of intents goes the one-by-one way) and when one award's files
 * cannot be written (that one fails, the rest of the batch is issued).
 */
@MicronautTest(transactional = false)
class BatchedAwardsTest extends PipelineScenario {
    private static final Principal ADMIN = new Principal("operator", Role.ADMIN, IssuerScope.parse(""),
            Principal.Via.OPERATOR_TOKEN, new TokenScopes(EnumSet.allOf(TokenScopes.Scope.class)), null, null);

    @Inject
    HumanIssuedTrophies trophies;
    @Inject
    IssuedTrophyRepository issued;

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of();
    }

    @Override
    protected Map<String, String> extraProperties() {
        accomplishment("award", null, "needs-signing = true\nhuman-issued = true\n");
        accomplishment("medal", null, "needs-signing = true\nhuman-issued = true\n");
        return Map.of();
    }

    @Test
    void aBatchMeetingAStandingAwardGivesEachAwardItsOwnOutcome() throws Exception {
        org.accomplishments.validator.share.Share kim = accepted(newShare("kim", null));
        org.accomplishments.validator.share.Share lou = accepted(newShare("lou", null));
        // Both drafts of kim's award are checked before either is written: the database lets only one stand.
        List<HumanIssuedTrophies.BatchAward> batch = List.of(award(kim, "scn/award", 1), award(lou, "scn/award", 2),
                award(kim, "scn/award", 3), award(kim, "scn/medal", 4));
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            List<IssueOutcome> outcomes = trophies.writeAll(ADMIN, batch, "test", workers);
            assertInstanceOf(IssueOutcome.Issued.class, outcomes.get(0));
            assertInstanceOf(IssueOutcome.Issued.class, outcomes.get(1));
            IssueOutcome.Refused refused = assertInstanceOf(IssueOutcome.Refused.class, outcomes.get(2));
            assertTrue(refused.conflict(), refused.reason());
            assertInstanceOf(IssueOutcome.Issued.class, outcomes.get(3));
        } finally {
            workers.shutdownNow();
        }
        assertEquals(1, issued.findStanding(kim.id(), "scn/award").size());
        assertEquals(List.of(), issued.findWriting());
        assertTrue(Files.exists(kim.folder().resolve("scn/medal.trophy.asc")));
    }

    @Test
    void anAwardWhoseFilesCannotBeWrittenFailsAloneAndTheRestOfItsBatchIsIssued() throws Exception {
        org.accomplishments.validator.share.Share max = accepted(newShare("max", null));
        org.accomplishments.validator.share.Share ned = accepted(newShare("ned", null));
        List<HumanIssuedTrophies.BatchAward> batch = List.of(award(max, "scn/award", 1), award(ned, "scn/award", 2));
        Files.writeString(ned.folder().resolve("scn"), "a file where the collection folder goes\n");
        ExecutorService workers = Executors.newFixedThreadPool(4);
        List<IssueOutcome> outcomes;
        try {
            outcomes = trophies.writeAll(ADMIN, batch, "test", workers);
        } finally {
            workers.shutdownNow();
        }
        IssueOutcome.Issued done = assertInstanceOf(IssueOutcome.Issued.class, outcomes.get(0));
        assertEquals(IssuedTrophyRow.State.ISSUED.name(), issued.findById(done.row().id()).orElseThrow().state());
        IssueOutcome.Failed failed = assertInstanceOf(IssueOutcome.Failed.class, outcomes.get(1));
        assertTrue(failed.detail().contains("not a directory"), failed.detail());
        assertEquals(List.of(), issued.findStanding(ned.id(), "scn/award"), "a failed award does not stand");
        assertEquals(List.of(), issued.findWriting());
        assertTrue(Files.exists(max.folder().resolve("scn/award.trophy")));
        assertFalse(Files.isDirectory(ned.folder().resolve("scn")));
    }

    private org.accomplishments.validator.share.Share accepted(Share share) {
        return await(() -> registry.find(share.id()).filter(s -> s.accepted()), Duration.ofSeconds(20),
                share.owner() + " accepted");
    }

    private HumanIssuedTrophies.BatchAward award(org.accomplishments.validator.share.Share share, String id, long line) {
        HumanIssuedTrophies.Check check = trophies.prepare(ADMIN, share, id, "line " + line, "", trophies.catalog());
        return new HumanIssuedTrophies.BatchAward(assertInstanceOf(HumanIssuedTrophies.Check.Ready.class, check).draft(),
                null, null);
    }
}
