package org.accomplishments.validator.postgres;

import io.micronaut.core.type.Argument;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.overview.AccomplishmentCounts;
import org.accomplishments.validator.overview.LedgerGroupedCounts;
import org.accomplishments.validator.overview.StateCounts;
import org.accomplishments.validator.overview.VerdictRollup;
import org.accomplishments.validator.validation.TrophyEventRow;
import org.accomplishments.validator.validation.TrophyRow;
import org.accomplishments.validator.validation.TrophyState;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole service on a real PostgreSQL: Flyway, Quartz's JDBC job store, the ledger, the API. */
@MicronautTest(transactional = false)
class PostgresLedgerTest extends PostgresScenario {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    DataSource dataSource;

    @Inject
    Scheduler scheduler;

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of("works", "echo all good; exit 0");
    }

    @Test
    void theServiceRunsOnPostgresqlNotOnH2() throws SQLException {
        try (Connection c = DelegatingDataSource.unwrapDataSource(dataSource).getConnection()) {
            assertEquals("PostgreSQL", c.getMetaData().getDatabaseProductName());
            assertTrue(c.getMetaData().getURL().contains(":" + postgres.getPort() + "/"), c.getMetaData().getURL());
        }
    }

    @Test
    void flywayMigratedTheQuartzTablesAndTheLedger() {
        List<List<Object>> history = query("SELECT version, success FROM flyway_schema_history "
                + "WHERE version IS NOT NULL ORDER BY installed_rank");
        // Every migration applied and succeeded; each feature's versions are checked to be there.
        assertTrue(history.stream().allMatch(row -> Boolean.TRUE.equals(row.get(1))), history.toString());
        assertTrue(history.stream().map(row -> (String) row.get(0)).toList().containsAll(List.of("1", "2", "3", "4", "5", "6")),
                history.toString());
        for (String table : List.of("qrtz_job_details", "qrtz_triggers", "qrtz_locks", "qrtz_scheduler_state",
                "share", "trophy", "trophy_event", "app_user", "web_session", "api_token", "audit_event",
                "issued_trophy", "share_claim_refusal", "issued_signature", "bulk_job", "bulk_row", "revocation_serial", "catalog_state")) {
            assertEquals(1, count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                    + "AND table_name = '" + table + "'"), "table " + table);
        }
    }

    @Test
    void quartzKeepsItsTimersInPostgresql() throws SchedulerException {
        assertTrue(scheduler.isStarted());
        assertEquals("org.quartz.impl.jdbcjobstore.JobStoreTX", scheduler.getMetaData().getJobStoreClass().getName());
        assertFalse(scheduler.getMetaData().isJobStoreClustered());
        assertTrue(count("SELECT count(*) FROM qrtz_triggers") >= 1, "no Quartz trigger rows in PostgreSQL");
        assertTrue(count("SELECT count(*) FROM qrtz_job_details") >= 1, "no Quartz job rows in PostgreSQL");
        // The timers fire: every trigger has fired at least once within a few seconds (intervals are 1 s here).
        await(() -> java.util.Optional.of(count("SELECT count(*) FROM qrtz_triggers WHERE prev_fire_time > 0"))
                        .filter(n -> n >= 3),
                Duration.ofSeconds(20), "Quartz triggers firing on PostgreSQL");
    }

    @Test
    void aGoodTrophyIsSignedAndABadOneRejectedAndTheApiListsBoth() {
        Share alice = newShare("alice", "alice@example.org");
        Share bob = newShare("bob", "bob@example.org");
        putTrophy(alice, "works", "alice@example.org");
        putTrophy(bob, "works", "mallory@example.org");

        String asc = awaitFile(alice.asc("works"), Duration.ofSeconds(30));
        assertTrue(asc.startsWith("-----BEGIN PGP SIGNED MESSAGE-----"), asc);
        assertTrue(asc.contains("share-id = " + alice.id()), asc);
        assertTrue(asc.contains("owner = alice"), asc);
        assertEquals("information-mismatch", awaitRejection(bob, "works"));
        awaitState(alice, "works", TrophyState.SIGNED, Duration.ofSeconds(10));
        awaitState(bob, "works", TrophyState.REJECTED, Duration.ofSeconds(10));

        // The rows are in PostgreSQL itself.
        assertEquals("SIGNED", query("SELECT state FROM trophy WHERE share_id = '" + alice.id() + "'").get(0).get(0));
        assertEquals(List.of("REJECTED", "information-mismatch"),
                query("SELECT state, reason FROM trophy WHERE share_id = '" + bob.id() + "'").get(0));
        TrophyRow signed = row(alice, "works").orElseThrow();
        List<TrophyEventRow> history = ledger.history(signed.id());
        assertTrue(history.stream().anyMatch(e -> e.kind().equals("script") && Integer.valueOf(0).equals(e.exitCode())
                && e.stdoutTail().contains("all good")), history.toString());

        Map<String, Object> page = http.toBlocking().retrieve(HttpRequest.GET("/api/trophies?share=" + alice.id()).bearerAuth("test-token"),
                Argument.mapOf(String.class, Object.class));
        List<Map<String, Object>> items = items(page);
        assertEquals(1, items.size(), page.toString());
        assertEquals("signed", items.get(0).get("state"));
        assertEquals(signed.signedBy(), items.get(0).get("signedBy"));

        Map<String, Object> rejected = http.toBlocking().retrieve(
                HttpRequest.GET("/api/trophies?state=rejected&share=" + bob.id()).bearerAuth("test-token"), Argument.mapOf(String.class, Object.class));
        assertEquals(1, items(rejected).size(), rejected.toString());
        assertEquals("information-mismatch", items(rejected).get(0).get("reason"));

        Map<String, Object> detail = http.toBlocking().retrieve(HttpRequest.GET("/api/trophies/" + signed.id()).bearerAuth("test-token"),
                Argument.mapOf(String.class, Object.class));
        assertTrue(detail.toString().contains("all good"), detail.toString());

        Map<String, Object> shares = http.toBlocking().retrieve(HttpRequest.GET("/api/shares?state=accepted").bearerAuth("test-token"),
                Argument.mapOf(String.class, Object.class));
        assertTrue(items(shares).stream().anyMatch(s -> alice.id().equals(s.get("id"))), shares.toString());
        assertTrue(items(shares).stream().anyMatch(s -> bob.id().equals(s.get("id"))), shares.toString());

        Map<String, Object> status = http.toBlocking().retrieve(HttpRequest.GET("/api/status").bearerAuth("test-token"),
                Argument.mapOf(String.class, Object.class));
        @SuppressWarnings("unchecked")
        Map<String, Object> trophies = (Map<String, Object>) status.get("trophies");
        assertTrue(((Number) trophies.getOrDefault("signed", 0)).longValue() >= 1, status.toString());
        assertTrue(((Number) trophies.getOrDefault("rejected", 0)).longValue() >= 1, status.toString());
    }

    @Test
    void aChangedTrophySupersedesItsRowAndIsValidatedAgain() throws Exception {
        Share carol = newShare("carol", "carol@example.org");
        putTrophy(carol, "works", "someone-else@example.org");
        assertEquals("information-mismatch", awaitRejection(carol, "works"));

        putTrophy(carol, "works", "carol@example.org");
        awaitFile(carol.asc("works"), Duration.ofSeconds(30));
        awaitState(carol, "works", TrophyState.SIGNED, Duration.ofSeconds(10));
        await(() -> java.util.Optional.of(carol.rejected("works")).filter(p -> !java.nio.file.Files.exists(p)),
                Duration.ofSeconds(10), "the stale .rejected removed");
        assertEquals(List.of(List.of("SIGNED"), List.of("SUPERSEDED")),
                query("SELECT state FROM trophy WHERE share_id = '" + carol.id() + "' ORDER BY state"));

        // The counts by state kept from the history (V10) on PostgreSQL: before and after the rollup took them.
        StateCounts counts = context.getBean(StateCounts.class);
        await(() -> java.util.Optional.of(counts.now().byState()).filter(c -> c.equals(ledger.countsByState())),
                Duration.ofSeconds(20), "the kept counts agree with the ledger's " + ledger.countsByState());
        context.getBean(VerdictRollup.class).rollUp();
        context.getBean(VerdictRollup.class).rollUp();
        await(() -> java.util.Optional.of(counts.now().byState()).filter(c -> c.equals(ledger.countsByState())),
                Duration.ofSeconds(20), "the rolled-up counts agree with the ledger's " + ledger.countsByState());
        // And by accomplishment (V11): found without one, then read, then judged, then superseded.
        javax.sql.DataSource dataSource = context.getBean(javax.sql.DataSource.class);
        assertEquals(LedgerGroupedCounts.byAccomplishment(dataSource),
                context.getBean(AccomplishmentCounts.class).counts().byAccomplishment());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }
}
