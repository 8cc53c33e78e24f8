package org.accomplishments.validator.overview;

import java.sql.SQLException;

/** A read for a page failed; {@link #timedOut()}: it ran out of its time limit (the filter was too broad). */
public final class ReadFailed extends RuntimeException {
    private final boolean timedOut;

    ReadFailed(SQLException cause) {
        super(cause.getMessage(), cause);
        this.timedOut = cause instanceof java.sql.SQLTimeoutException || "57014".equals(cause.getSQLState());
    }

    public boolean timedOut() {
        return timedOut;
    }

    @FunctionalInterface
    interface Call<T> {
        T run() throws SQLException;
    }

    static <T> T reading(Call<T> call) {
        try {
            return call.run();
        } catch (SQLException e) {
            throw new ReadFailed(e);
        }
    }
}
