package org.accomplishments.validator.overview;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ledger written before V11 (events without their accomplishment) is upgraded, then keeps changing: found without an
 * accomplishment, read, judged, superseded. The counts by accomplishment (the migration's start, the rollup's moves and
 * a read's own tail) stay the ledger's GROUP BY throughout.
 */
class AccomplishmentCountsUpgradeTest {
    private final JdbcDataSource db = new JdbcDataSource();

    AccomplishmentCountsUpgradeTest() {
        db.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        db.setUser("sa");
    }

    @Test
    void aLedgerUpgradedMidWayIsCountedByAccomplishmentAsItsGroupBySays() throws SQLException {
        migrate("10");
        sql("INSERT INTO share (id, backend, owner, visible_name, name, folder, state, offered_at) "
                + "VALUES ('s', 'local', 'o', 'O', 'trophies', '/nowhere', 'ACCEPTED', CURRENT_TIMESTAMP)");
        // Before the upgrade: #1 read and signed, #2 found only, #3 read and waiting. History as V10 wrote it.
        found(1);
        sql("UPDATE trophy SET accomplishment_id = 'c/a', state = 'SIGNED' WHERE id = 1");
        sql("INSERT INTO trophy_event (trophy_id, at, kind, state) VALUES (1, CURRENT_TIMESTAMP, 'signed', 'SIGNED')");
        found(2);
        found(3);
        sql("UPDATE trophy SET accomplishment_id = 'c/b', state = 'WAITING' WHERE id = 3");
        sql("INSERT INTO trophy_event (trophy_id, at, kind, state) VALUES (3, CURRENT_TIMESTAMP, 'waiting', 'WAITING')");

        migrate(null);
        AccomplishmentCounts counts = new AccomplishmentCounts(db);
        assertAgrees(counts, "the start the migration counted");

        // After it, as the ledger writes: each change's accomplishment read from the row it just changed.
        change(2, "c/a", "WAITING");
        change(3, "c/b", "SIGNED");
        change(1, "c/a", "SUPERSEDED");
        found(4);
        change(4, null, "REJECTED");
        sql("INSERT INTO trophy_event (trophy_id, at, kind, state) VALUES (2, CURRENT_TIMESTAMP, 'script', 'WAITING')");
        assertAgrees(counts, "the start plus a read's own tail of changes");

        VerdictRollup rollup = new VerdictRollup(db, Clock.systemUTC());
        rollup.rollUp(); // the first run takes the head of the history as its limit,
        rollup.rollUp(); // the second counts up to it
        AccomplishmentCounts.Counts rolled = assertAgrees(counts, "the rolled-up counts");
        assertTrue(rolled.complete());
        assertEquals(Map.of("signed", 1L, "superseded", 1L, "waiting", 1L),
                rolled.collections().stream().filter(r -> r.name().equals("c")).findFirst().orElseThrow().states(),
                "collection c, summed over its accomplishments");

        change(4, null, "PENDING");
        assertAgrees(counts, "the rolled-up counts plus one change");
    }

    private AccomplishmentCounts.Counts assertAgrees(AccomplishmentCounts counts, String what) throws SQLException {
        AccomplishmentCounts.Counts kept = counts.countsSql();
        assertEquals(LedgerGroupedCounts.byAccomplishment(db), kept.byAccomplishment(), what);
        return kept;
    }

    private void found(long id) throws SQLException {
        sql("INSERT INTO trophy (id, share_id, path, sha256, size, state, first_seen_at, updated_at) VALUES (" + id
                + ", 's', 't" + id + ".trophy', '" + "0".repeat(63) + id + "', 1, 'PENDING', CURRENT_TIMESTAMP, "
                + "CURRENT_TIMESTAMP)");
        sql("INSERT INTO trophy_event (trophy_id, at, kind, state) VALUES (" + id + ", CURRENT_TIMESTAMP, "
                + "'discovered', 'PENDING')");
    }

    /** What TrophyLedger does in one transaction: the row's change, then its history row (TrophyEventRepository). */
    private void change(long id, String accomplishment, String state) throws SQLException {
        sql("UPDATE trophy SET accomplishment_id = " + (accomplishment == null ? "NULL" : "'" + accomplishment + "'")
                + ", state = '" + state + "' WHERE id = " + id);
        sql("INSERT INTO trophy_event (trophy_id, at, kind, state, accomplishment_id) SELECT id, CURRENT_TIMESTAMP, "
                + "'change', '" + state + "', accomplishment_id FROM trophy WHERE id = " + id);
    }

    private void migrate(String target) {
        var config = Flyway.configure().dataSource(db).locations("classpath:db/migration");
        (target == null ? config : config.target(target)).load().migrate();
    }

    private void sql(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
