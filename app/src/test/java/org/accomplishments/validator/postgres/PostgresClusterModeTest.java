package org.accomplishments.validator.postgres;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.validation.TrophyState;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code validator.cluster.enabled=true} on PostgreSQL: Quartz runs clustered (it checks in to
 * {@code qrtz_scheduler_state}), and with file-system events off the timers alone carry a trophy to its verdict.
 */
@MicronautTest(transactional = false)
class PostgresClusterModeTest extends PostgresScenario {

    @Inject
    Scheduler scheduler;

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of("works", "exit 0");
    }

    @Override
    protected Map<String, String> postgresScenarioProperties() {
        return Map.of("validator.cluster.enabled", "true", "validator.shares.events", "false");
    }

    @Test
    void quartzRunsClusteredAndChecksInToPostgresql() throws SchedulerException {
        assertTrue(scheduler.getMetaData().isJobStoreClustered());
        String instanceId = scheduler.getSchedulerInstanceId();
        List<List<Object>> state = await(() -> Optional.of(query("SELECT instance_name FROM qrtz_scheduler_state"))
                .filter(rows -> !rows.isEmpty()), Duration.ofSeconds(30), "a row in qrtz_scheduler_state");
        assertEquals(List.of(List.of(instanceId)), state);
    }

    @Test
    void timersAloneSignAndRejectInClusteredMode() {
        Share dave = newShare("dave", "dave@example.org");
        Share erin = newShare("erin", "erin@example.org");
        putTrophy(dave, "works", "dave@example.org");
        write(erin.trophy("works"), "[trophy]\nversion = 0.2\nid = scn/something-else\nneeds-signing = true\n");

        String asc = awaitFile(dave.asc("works"), Duration.ofSeconds(40));
        assertTrue(asc.contains("share-id = " + dave.id()), asc);
        assertEquals("id-path-mismatch", awaitRejection(erin, "works"));
        awaitState(dave, "works", TrophyState.SIGNED, Duration.ofSeconds(10));
        // In clustered mode a worker's lease is released with its verdict, not left for expiry.
        assertEquals(List.of(), query("SELECT id FROM trophy WHERE state IN ('SIGNED', 'REJECTED') "
                + "AND lease_owner IS NOT NULL"));
    }
}
