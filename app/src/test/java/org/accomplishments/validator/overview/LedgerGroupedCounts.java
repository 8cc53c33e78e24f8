package org.accomplishments.validator.overview;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The truth the kept counts must equal: the ledger grouped on request, as the pages did before V10 and V11. */
public final class LedgerGroupedCounts {
    private LedgerGroupedCounts() {
    }

    /** Accomplishment ({@link AccomplishmentCounts#NONE} for none) to its trophies by state, lower case. */
    public static Map<String, Map<String, Long>> byAccomplishment(DataSource dataSource) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        try (Connection c = DelegatingDataSource.unwrapDataSource(dataSource).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT accomplishment_id, state, COUNT(*) FROM trophy "
                     + "GROUP BY accomplishment_id, state")) {
            while (rs.next()) {
                String id = rs.getString(1) == null ? AccomplishmentCounts.NONE : rs.getString(1);
                counts.computeIfAbsent(id, k -> new TreeMap<>()).put(rs.getString(2).toLowerCase(Locale.ROOT),
                        rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }
}
