package org.accomplishments.validator.validation;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Counts what the service asks of its database: statements executed, commits, and read-only switches of a
 * connection, for the benchmarks' "SQL statements and commits per trophy". Used only when the JDBC URL says so,
 * {@code jdbc:counting:h2:file:...} (or {@code jdbc:counting:postgresql:...}) with
 * {@code datasources.default.driver-class-name} set to this class; the URL behind the prefix goes to the real
 * driver. The counts are the {@code validator.database.*} metrics (see {@link LedgerMetrics}). A counted service
 * treats its database as not embedded (no backups, no database-file checks): it is for measuring, not for use.
 */
public final class CountingJdbcDriver implements Driver {
    private static final String PREFIX = "jdbc:counting:";
    static final AtomicLong STATEMENTS = new AtomicLong();
    static final AtomicLong COMMITS = new AtomicLong();
    static final AtomicLong READ_ONLY_SWITCHES = new AtomicLong();

    static {
        try {
            DriverManager.registerDriver(new CountingJdbcDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Connection real = DriverManager.getConnection("jdbc:" + url.substring(PREFIX.length()), info);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[]{Connection.class}, handler(real, true));
    }

    private static InvocationHandler handler(Object target, boolean connection) {
        return (proxy, method, args) -> {
            String name = method.getName();
            if (connection) {
                if (name.equals("commit")) {
                    COMMITS.incrementAndGet();
                } else if (name.equals("setReadOnly")) {
                    READ_ONLY_SWITCHES.incrementAndGet();
                }
            } else if (name.startsWith("execute")) {
                STATEMENTS.incrementAndGet();
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (connection && result instanceof Statement statement) {
                Class<?> type = method.getReturnType();
                return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{type},
                        handler(statement, false));
            }
            return result;
        };
    }

    /** Statements executed, commits and read-only switches so far. */
    public static long[] counts() {
        return new long[]{STATEMENTS.get(), COMMITS.get(), READ_ONLY_SWITCHES.get()};
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
