package org.accomplishments.validator.validation;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each answer of a logic script leads to, through the whole running service. */
@MicronautTest(transactional = false)
class LogicScriptVerdictsTest extends PipelineScenario {

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of(
                "exits-0", "exit 0",
                "exits-1", "echo not yet; exit 1",
                "exits-2", "echo broken >&2; exit 2",
                "exits-3", "exit 3",
                "exits-4", "exit 4",
                "sleeps", "sleep 30",
                "crashes", "kill -SEGV $$",
                "floods", "head -c 5000000 /dev/zero | tr '\\0' x; exit 0",
                "checks-env", "[ \"$ACCOM_INFO_EMAIL\" = \"$(cat \"$(dirname \"$(dirname \"$ACCOMTROPHYPATH\")\")/.extrainformation/email\")\" ] "
                        + "&& [ -z \"$JAVA_HOME$VALIDATOR_API_TOKEN\" ] && [ \"$ACCOM_ID\" = scn/checks-env ] || exit 1");
    }

    @Test
    void exit0IsAccomplishedAndSigned() {
        Share share = newShare("alice", "alice@example.org");
        putTrophy(share, "exits-0", "alice@example.org");

        String asc = awaitFile(share.asc("exits-0"), Duration.ofSeconds(20));

        assertTrue(asc.startsWith("-----BEGIN PGP SIGNED MESSAGE-----"));
        assertTrue(asc.contains("share-id = " + share.id()));
        assertFalse(Files.exists(share.rejected("exits-0")));
    }

    @Test
    void exit1IsRetriedWithBackoffThenRejectedAsNotAccomplished() {
        Share share = newShare("bob", "bob@example.org");
        putTrophy(share, "exits-1", "bob@example.org");

        assertEquals("not-accomplished", awaitRejection(share, "exits-1"));
        TrophyRow row = row(share, "exits-1").orElseThrow();
        assertEquals(3, row.notYetCount());
        List<TrophyEventRow> scripts = ledger.history(row.id()).stream().filter(e -> e.kind().equals("script")).toList();
        assertEquals(3, scripts.size());
        assertTrue(scripts.stream().allMatch(e -> Integer.valueOf(1).equals(e.exitCode())
                && e.stdoutTail().contains("not yet")));
    }

    @Test
    void exit2IsAnErrorRetriedThenRejectedAsScriptError() {
        Share share = newShare("carol", "carol@example.org");
        putTrophy(share, "exits-2", "carol@example.org");

        assertEquals("script-error", awaitRejection(share, "exits-2"));
        TrophyRow row = row(share, "exits-2").orElseThrow();
        assertEquals(2, row.errorCount());
        assertTrue(ledger.history(row.id()).stream().anyMatch(e -> "broken\n".equals(e.stderrTail())));
    }

    @Test
    void anUndocumentedExitCodeIsAnError() {
        Share share = newShare("dan", "dan@example.org");
        putTrophy(share, "exits-3", "dan@example.org");

        assertEquals("script-error", awaitRejection(share, "exits-3"));
    }

    @Test
    void exit4MeansMissingInformation() {
        Share share = newShare("erin", "erin@example.org");
        putTrophy(share, "exits-4", "erin@example.org");

        assertEquals("missing-information", awaitRejection(share, "exits-4"));
    }

    @Test
    void aScriptPastTheTimeLimitIsKilledAndCountsAsAnError() {
        Share share = newShare("frank", "frank@example.org");
        putTrophy(share, "sleeps", "frank@example.org");

        String rejection = awaitFile(share.rejected("sleeps"), Duration.ofSeconds(30));

        assertTrue(rejection.contains("reason = script-error"), rejection);
        assertTrue(rejection.contains("timed out"), rejection);
    }

    @Test
    void aCrashingScriptCountsAsAnError() {
        Share share = newShare("grace", "grace@example.org");
        putTrophy(share, "crashes", "grace@example.org");

        String rejection = awaitFile(share.rejected("crashes"), Duration.ofSeconds(20));

        assertTrue(rejection.contains("reason = script-error"), rejection);
        assertTrue(rejection.contains("signal 11"), rejection);
    }

    @Test
    void hugeOutputIsCappedInTheLedgerAndTheTrophyIsStillSigned() {
        Share share = newShare("heidi", "heidi@example.org");
        putTrophy(share, "floods", "heidi@example.org");

        awaitFile(share.asc("floods"), Duration.ofSeconds(20));

        TrophyRow row = row(share, "floods").orElseThrow();
        TrophyEventRow run = ledger.history(row.id()).stream().filter(e -> e.kind().equals("script")).findFirst()
                .orElseThrow();
        assertTrue(run.stdoutTail().length() <= 4096, "kept " + run.stdoutTail().length() + " characters");
    }

    @Test
    void theScriptSeesTheDocumentedVariablesAndNothingOfTheService() {
        Share share = newShare("ivan", "ivan@example.org");
        putTrophy(share, "checks-env", "ivan@example.org");

        awaitFile(share.asc("checks-env"), Duration.ofSeconds(20));
    }
}
