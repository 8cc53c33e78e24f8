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

    private final Object counters = new Object();
    private final Object checkpointing = new Object();
    private long requested;
    private long covered;

    /**
     * Returns once every commit made before the call is in the database file. Callers at the same moment share one
     * checkpoint (a group commit): one that started after a caller asked covers it, so four bulk writers waiting
     * behind a checkpoint are all covered by the next one instead of making four.
     */
    void flush() {
        if (Boolean.FALSE.equals(h2)) {
            return; // PostgreSQL: a commit is durable when it returns
        }
        long mine;
        synchronized (counters) {
            mine = ++requested;
        }
        synchronized (checkpointing) {
            if (covered >= mine) {
                return;
            }
            long upTo;
            synchronized (counters) {
                upTo = requested; // every request counted here was made after its commit, before this checkpoint
            }
            checkpoint();
            covered = upTo;
        }
    }

    private void checkpoint() {
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
