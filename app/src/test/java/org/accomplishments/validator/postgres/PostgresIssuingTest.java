package org.accomplishments.validator.postgres;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.auth.IssuerScope;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.auth.Role;
import org.accomplishments.validator.auth.TokenScopes;
import org.accomplishments.validator.issuing.BulkIssuance;
import org.accomplishments.validator.issuing.HumanIssuedTrophies;
import org.accomplishments.validator.issuing.IssueOutcome;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issuing on PostgreSQL: the database key that lets one award stand per share and accomplishment, the revocation
 * serial and bulk jobs in the database, with the same migration as on H2 (V5).
 */
@MicronautTest(transactional = false)
class PostgresIssuingTest extends PostgresScenario {

    static final Principal ADMIN = new Principal("operator", Role.ADMIN, IssuerScope.parse(""),
            Principal.Via.OPERATOR_TOKEN, new TokenScopes(EnumSet.allOf(TokenScopes.Scope.class)), null, null);

    @Inject
    HumanIssuedTrophies trophies;
    @Inject
    BulkIssuance bulk;

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of();
    }

    @Override
    protected Map<String, String> postgresScenarioProperties() {
        accomplishment("award", null, "needs-signing = true\nhuman-issued = true\n");
        accomplishment("medal", null, "needs-signing = true\nhuman-issued = true\n");
        return Map.of();
    }

    @Test
    void simultaneousAwardsMakeOneAndTheOthersAreConflictsThenARevokedAwardMayBeGivenAgain() throws Exception {
        Share pat = newShare("pat", null);
        await(() -> registry.find(pat.id()).filter(s -> s.accepted()), Duration.ofSeconds(20), "pat accepted");
        ExecutorService clients = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<IssueOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            outcomes.add(clients.submit(() -> {
                go.await();
                return trophies.issue(ADMIN, pat.id(), "scn/award", "twice", "", "test");
            }));
        }
        go.countDown();
        int issued = 0;
        int conflicts = 0;
        for (Future<IssueOutcome> f : outcomes) {
            IssueOutcome outcome = f.get();
            if (outcome instanceof IssueOutcome.Issued) {
                issued++;
            } else if (outcome instanceof IssueOutcome.Refused refused && refused.conflict()) {
                conflicts++;
            }
        }
        clients.shutdown();
        assertEquals(1, issued);
        assertEquals(7, conflicts);
        assertEquals(List.of(List.of(1L)), query("SELECT COUNT(*) FROM issued_trophy WHERE share_id = '" + pat.id()
                + "' AND state = 'ISSUED'"));

        long id = ((Number) query("SELECT id FROM issued_trophy WHERE share_id = '" + pat.id() + "' AND state = 'ISSUED'")
                .get(0).get(0)).longValue();
        long serialBefore = ((Number) query("SELECT serial FROM revocation_serial").get(0).get(0)).longValue();
        assertTrue(trophies.revoke(ADMIN, id, "test", "test").isEmpty());
        long serialAfter = ((Number) query("SELECT serial FROM revocation_serial").get(0).get(0)).longValue();
        assertEquals(serialBefore + 1, serialAfter, "a revocation moves the serial on, in its transaction");

        assertEquals("REVOKED", query("SELECT state FROM issued_trophy WHERE id = " + id).get(0).get(0));

        // Revoked, it no longer stands: it may be awarded again, and the unchanged trophy we wrote is replaced.
        String old = Files.readString(pat.trophy("award"));
        assertInstanceOf(IssueOutcome.Issued.class, trophies.issue(ADMIN, pat.id(), "scn/award", "again", "", "test"));
        assertTrue(Files.readString(pat.trophy("award")).contains("note = again"), old);
    }

    @Test
    void aBulkJobIsStoredAndAppliedInPostgresql() {
        Share quin = newShare("quin", null);
        await(() -> registry.find(quin.id()).filter(s -> s.accepted()), Duration.ofSeconds(20), "quin accepted");

        BulkIssuance.Job job = bulk.dryRun(ADMIN, "pg.csv", quin.id() + ",scn/award,\n" + quin.id() + ",scn/medal,\n");
        bulk.applyNow(ADMIN, job, "test");

        BulkIssuance.Job done = bulk.find(ADMIN, job.id()).orElseThrow();
        assertEquals(BulkIssuance.State.DONE, done.state());
        assertEquals(2, done.issued());
        assertTrue(Files.exists(quin.asc("medal")));
    }
}
