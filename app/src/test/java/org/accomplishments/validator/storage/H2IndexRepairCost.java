package org.accomplishments.validator.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import org.flywaydb.core.Flyway;

/**
 * What a start-up check or repair of the ledger's indexes costs on a large file: fills {@code trophy} and
 * {@code trophy_event} with {@code <rows>} rows each (our migrations, the service's URL), then times the full check of
 * {@link H2KillChild#check} (every index read through, key sets compared) and the rebuild of one index
 * (CREATE INDEX on trophy (state, id)), which a repair would do once per index.
 *
 * <p>Run by hand: {@code java -cp <test class path> org.accomplishments.validator.storage.H2IndexRepairCost 200000}.
 */
public final class H2IndexRepairCost {

    private H2IndexRepairCost() {
    }

    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(args[0]);
        Path dir = Files.createTempDirectory("h2repair-");
        String url = "jdbc:h2:file:" + dir.resolve("validator") + H2KillChild.URL_OPTIONS;
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            long t0 = System.nanoTime();
            s.executeUpdate("INSERT INTO share (id, backend, owner, name, folder, state, offered_at) VALUES "
                    + "('share-1', 'local', 'owner', 'name', '/srv/share-1', 'ACCEPTED', CURRENT_TIMESTAMP)");
            s.executeUpdate("INSERT INTO trophy (share_id, path, sha256, size, modified_at, accomplishment_id, state, "
                    + "first_seen_at, updated_at, next_attempt_at, verdict_at, reason) SELECT 'share-1', "
                    + "CONCAT('collection/accomplishment-', MOD(x, 20), '/', x, '.trophy'), "
                    + "LPAD(CAST(x AS VARCHAR), 64, '0'), 1000, CURRENT_TIMESTAMP, "
                    + "CONCAT('collection/accomplishment-', MOD(x, 20)), "
                    + "CASE MOD(x, 4) WHEN 0 THEN 'PENDING' WHEN 1 THEN 'SIGNED' WHEN 2 THEN 'REJECTED' "
                    + "ELSE 'WAITING' END, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
                    + "CASE WHEN MOD(x, 4) IN (0, 3) THEN CURRENT_TIMESTAMP END, "
                    + "CASE WHEN MOD(x, 4) IN (1, 2) THEN CURRENT_TIMESTAMP END, "
                    + "CASE MOD(x, 4) WHEN 2 THEN 'not-achieved' WHEN 3 THEN 'dependencies-unmet' END "
                    + "FROM (SELECT \"X\" AS x FROM SYSTEM_RANGE(1, " + rows + ")) r");
            s.executeUpdate("INSERT INTO trophy_event (trophy_id, at, kind, state, detail) "
                    + "SELECT id, CURRENT_TIMESTAMP, 'discovered', 'PENDING', 'filled' FROM trophy");
            System.out.printf("fill %d rows: %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);

            t0 = System.nanoTime();
            List<String> problems = H2KillChild.check(c);
            System.out.printf("full check (%d problems): %.1f s%n", problems.size(), (System.nanoTime() - t0) / 1e9);

            t0 = System.nanoTime();
            s.execute("CREATE INDEX repair_probe ON trophy (state, id)");
            System.out.printf("CREATE INDEX on trophy (state, id): %.1f s%n", (System.nanoTime() - t0) / 1e9);
            s.execute("DROP INDEX repair_probe");
        }
        H2KillLoop.deleteTree(dir);
    }
}
