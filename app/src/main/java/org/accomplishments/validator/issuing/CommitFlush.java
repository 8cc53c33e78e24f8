package org.accomplishments.validator.issuing;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Makes what was committed survive a kill before anything is written into a share. PostgreSQL's commit is durable
 * already; embedded H2 writes commits to its file up to half a second later (its write delay), so a process killed
 * in between loses commits whose files are on disk. {@code CHECKPOINT} writes them out.
 */
@Singleton
class CommitFlush {

    private final DataSource pool;
    private volatile Boolean h2;

    CommitFlush(DataSource dataSource) {
        this.pool = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /** Returns once every commit so far is in the database file. */
    void flush() {
        try (Connection connection = pool.getConnection()) {
            if (h2 == null) {
                h2 = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2");
            }
            if (h2) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CHECKPOINT");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the database could not write its commits out: " + e.getMessage(), e);
        }
    }

    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

}
