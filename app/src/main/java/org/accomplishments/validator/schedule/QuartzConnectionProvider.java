package org.accomplishments.validator.schedule;

import org.quartz.utils.ConnectionProvider;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Hands Quartz the raw connection pool. Micronaut's injected DataSource is a contextual proxy that only works inside
 * a Micronaut-managed connection scope, which Quartz's own threads never have ("No current connection present").
 */
final class QuartzConnectionProvider implements ConnectionProvider {
    private final DataSource pool;

    QuartzConnectionProvider(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void shutdown() {
        // the pool belongs to Micronaut
    }

    @Override
    public void initialize() {
        // nothing to do
    }
}
