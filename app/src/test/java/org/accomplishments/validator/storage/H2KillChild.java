package org.accomplishments.validator.storage;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.flywaydb.core.Flyway;

/**
 * The child JVM of {@link H2KillLoop}: opens an H2 file as the service does (its JDBC URL, our Flyway migrations),
 * checks that every index of {@code trophy} and {@code trophy_event} agrees with its table, runs the service's
 * startup UPDATEs (in check mode also a rolled-back change and delete of every row), prints {@code READY} and then
 * writes the ledger's transaction shapes from several threads until the parent kills it with SIGKILL.
 *
 * <p>Arguments: {@code <db dir> <shape> <url suffix> <seed>}; shape {@code one} (1 trophy + 1 event per transaction,
 * as discovery does today), {@code batch} (200 of those per transaction, the shape of the batched discoveries),
 * {@code update} (a worker's claim by primary key, then its change plus an event), {@code mix} (one thread of each,
 * two updating). With {@code check} as the shape it only checks. Output lines: {@code CHECK-OK}, {@code BROKEN <what>},
 * {@code OPEN-FAILED <message>}, {@code READY}.
 */
public final class H2KillChild {

    static final String URL_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";DB_CLOSE_ON_EXIT=FALSE";
    static final int BATCH = 200;
    private static final int THREADS = 4;
    private static final int PRELOAD = 2000;
    private static final String[] ACCOMPLISHMENTS = new String[20];
    private static final String[] WORKER_STATES = {"SIGNED", "REJECTED", "WAITING", "PENDING", "SIGNING"};

    static {
        for (int i = 0; i < ACCOMPLISHMENTS.length; i++) {
            ACCOMPLISHMENTS[i] = "collection-" + (i % 3) + "/accomplishment-" + i;
        }
    }

    private H2KillChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String url = "jdbc:h2:file:" + Path.of(args[0]).resolve("validator") + URL_OPTIONS + args[2];
        String shape = args[1];
        long seed = Long.parseLong(args[3]);
        try {
            Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
            try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                List<String> problems = check(c);
                problems.addAll(startupUpdates(c, shape.equals("check")));
                if (problems.isEmpty()) {
                    out.println("CHECK-OK " + count(c, "trophy") + " trophies " + count(c, "trophy_event") + " events");
                }
                for (String p : problems) {
                    out.println("BROKEN " + oneLine(p));
                }
                if (shape.equals("check") || !problems.isEmpty()) {
                    System.exit(0);
                }
                prepare(c);
            }
        } catch (Exception e) {
            out.println("OPEN-FAILED " + oneLine(String.valueOf(e)));
            System.exit(0);
        }
        List<Thread> threads = new ArrayList<>();
        AtomicLong commits = new AtomicLong();
        for (int t = 0; t < THREADS; t++) {
            String threadShape = shape.equals("mix") ? new String[] {"one", "batch", "update", "update"}[t] : shape;
            SplittableRandom random = new SplittableRandom(seed * 31 + t);
            Thread thread = new Thread(() -> load(url, threadShape, random, commits), "load-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        out.println("READY");
        for (Thread t : threads) {
            t.join();
        }
    }

    /**
     * Every non-primary index of the two ledger tables, read through the index itself ({@code USE INDEX}, a range
     * that covers every value of its first column, then that column {@code IS NULL}) and compared with the row ids of
     * a full scan: a stale entry shows as an id read twice or an id the table does not hold, a missing entry as an id
     * the index does not return.
     */
    static List<String> check(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        for (String table : List.of("trophy", "trophy_event")) {
            Map<String, List<String>> indexes = indexes(c, table);
            for (Map.Entry<String, List<String>> index : indexes.entrySet()) {
                String first = index.getValue().get(0);
                Map<Long, Integer> expected = new HashMap<>();
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT id FROM " + table)) {
                    while (rs.next()) {
                        expected.merge(rs.getLong(1), 1, Integer::sum);
                    }
                }
                Map<Long, Integer> seen = new HashMap<>();
                try {
                    String hint = " USE INDEX (\"" + index.getKey() + "\")";
                    String range = "SELECT id FROM " + table + hint + " WHERE " + first + " >= ?";
                    String nulls = "SELECT id FROM " + table + hint + " WHERE " + first + " IS NULL";
                    Object low = lowest(c, table, first);
                    for (String sql : List.of(range, nulls)) {
                        try (PreparedStatement ps = c.prepareStatement(sql)) {
                            if (sql == range) {
                                ps.setObject(1, low);
                            }
                            String plan = explain(c, sql, sql == range ? low : null);
                            if (!plan.contains(index.getKey())) {
                                problems.add(table + "." + index.getKey() + " not read through the index: " + plan);
                            }
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    seen.merge(rs.getLong(1), 1, Integer::sum);
                                }
                            }
                        }
                    }
                } catch (SQLException e) {
                    problems.add(table + "." + index.getKey() + " read failed: " + e.getMessage());
                    continue;
                }
                if (!seen.equals(expected)) {
                    List<Long> missing = new ArrayList<>();
                    List<Long> extra = new ArrayList<>();
                    for (Map.Entry<Long, Integer> e : expected.entrySet()) {
                        int n = seen.getOrDefault(e.getKey(), 0);
                        for (int i = n; i < e.getValue(); i++) {
                            missing.add(e.getKey());
                        }
                    }
                    for (Map.Entry<Long, Integer> e : seen.entrySet()) {
                        int n = expected.getOrDefault(e.getKey(), 0);
                        for (int i = n; i < e.getValue(); i++) {
                            extra.add(e.getKey());
                        }
                    }
                    problems.add(table + "." + index.getKey() + " disagrees with its table (" + expected.size()
                            + " rows): entries missing for ids " + head(missing) + ", stale or extra entries for ids "
                            + head(extra));
                }
            }
        }
        // Each transaction of the load writes a trophy together with its event: one without the other is a
        // transaction half kept.
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), MIN(t.id) FROM trophy t WHERE NOT EXISTS "
                     + "(SELECT 1 FROM trophy_event e WHERE e.trophy_id = t.id AND e.kind = 'discovered')")) {
            rs.next();
            if (rs.getLong(1) > 0) {
                problems.add(rs.getLong(1) + " trophies without their discovered event (half a transaction kept), "
                        + "the first " + rs.getLong(2));
            }
        }
        return problems;
    }

    /**
     * What the service runs at start (TrophyRepository.releaseAllLeases, resumeInterruptedWork) and, rolled back, a
     * change of every indexed column of every row and a delete of every row: each removes index entries, which
     * throws "Row not found when trying to delete from index" where an entry is missing.
     */
    static List<String> startupUpdates(Connection c, boolean everyIndex) {
        List<String> problems = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.now());
        try {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate(
                        "UPDATE trophy SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL");
                try (PreparedStatement ps = c.prepareStatement("UPDATE trophy SET next_attempt_at = ? WHERE state IN "
                        + "('SIGNING', 'REJECTING') OR (lease_owner IS NOT NULL "
                        + "AND state IN ('PENDING', 'WAITING'))")) {
                    ps.setTimestamp(1, now);
                    ps.executeUpdate();
                }
                c.commit();
                if (!everyIndex) {
                    return problems;
                }
                s.executeUpdate("UPDATE trophy SET accomplishment_id = CONCAT(accomplishment_id, '~'), "
                        + "state = CONCAT(state, '~'), reason = CONCAT(reason, '~'), next_attempt_at = NULL, "
                        + "verdict_at = CURRENT_TIMESTAMP, lease_owner = 'probe', path = CONCAT(path, '~')");
                s.executeUpdate("DELETE FROM trophy_event");
                s.executeUpdate("DELETE FROM trophy");
                c.rollback();
            }
        } catch (SQLException e) {
            problems.add("startup UPDATE failed: " + e.getMessage());
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the problem is already reported
            }
        }
        return problems;
    }

    private static Map<String, List<String>> indexes(Connection c, String table) throws SQLException {
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.index_name, ic.column_name "
                + "FROM information_schema.indexes i JOIN information_schema.index_columns ic "
                + "ON ic.index_schema = i.index_schema AND ic.index_name = i.index_name "
                + "WHERE i.table_schema = 'public' AND i.table_name = ? AND i.index_type_name <> 'PRIMARY KEY' "
                + "ORDER BY i.index_name, ic.ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexes.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        if (indexes.isEmpty()) {
            throw new SQLException("no index found on " + table);
        }
        return indexes;
    }

    /** A value no lower than which every value of the column lies, by its type. */
    private static Object lowest(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT data_type FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND table_name = ? AND column_name = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String type = rs.getString(1).toUpperCase(java.util.Locale.ROOT);
                if (type.contains("CHAR")) {
                    return "";
                }
                if (type.contains("INT")) {
                    return Long.MIN_VALUE;
                }
                if (type.startsWith("TIMESTAMP")) {
                    return OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
                }
                throw new SQLException("no lowest value known for " + type);
            }
        }
    }

    private static String explain(Connection c, String sql, Object low) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
            if (low != null) {
                ps.setObject(1, low);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return oneLine(rs.getString(1));
            }
        }
    }

    private static void prepare(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("MERGE INTO share (id, backend, owner, name, folder, state, offered_at) KEY (id) VALUES "
                    + "('share-1', 'local', 'owner', 'name', '/srv/share-1', 'ACCEPTED', CURRENT_TIMESTAMP)");
        }
        c.commit();
        long have = count(c, "trophy");
        SplittableRandom random = new SplittableRandom(have);
        for (long i = have; i < PRELOAD; i++) {
            insertDiscovery(c, random);
            if (i % BATCH == 0) {
                c.commit();
            }
        }
        c.commit();
        // Written to the file before the kills start, so the preload is not what a kill cuts.
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    private static void load(String url, String shape, SplittableRandom random, AtomicLong commits) {
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.setAutoCommit(false);
            long maxId;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(id) FROM trophy")) {
                rs.next();
                maxId = rs.getLong(1);
            }
            while (true) {
                switch (shape) {
                    case "one" -> insertDiscovery(c, random);
                    case "batch" -> {
                        for (int i = 0; i < BATCH; i++) {
                            insertDiscovery(c, random);
                        }
                    }
                    case "update" -> {
                        long id = 1 + random.nextLong(maxId);
                        String token = "worker-" + random.nextInt(1_000_000);
                        if (claim(c, id, token)) {
                            c.commit();
                            workerChange(c, id, token, random);
                        }
                    }
                    default -> throw new IllegalArgumentException(shape);
                }
                c.commit();
                commits.incrementAndGet();
            }
        } catch (SQLException e) {
            // A lock timeout between two updating threads ends that thread only; the others go on.
            System.err.println(Thread.currentThread().getName() + ": " + e);
        }
    }

    private static void insertDiscovery(Connection c, SplittableRandom random) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        long trophyId;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO trophy (share_id, path, sha256, size, modified_at, "
                + "accomplishment_id, state, first_seen_at, updated_at, next_attempt_at) "
                + "VALUES ('share-1', ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            String accomplishment = ACCOMPLISHMENTS[random.nextInt(ACCOMPLISHMENTS.length)];
            ps.setString(1, accomplishment + "/" + Long.toHexString(random.nextLong()) + ".trophy");
            ps.setString(2, sha256Like(random));
            ps.setLong(3, 200 + random.nextInt(2000));
            ps.setTimestamp(4, now);
            ps.setString(5, accomplishment);
            ps.setTimestamp(6, now);
            ps.setTimestamp(7, now);
            ps.setTimestamp(8, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                trophyId = keys.getLong(1);
            }
        }
        event(c, trophyId, "discovered", "PENDING", now);
    }

    private static boolean claim(Connection c, long id, String token) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement ps = c.prepareStatement("UPDATE trophy SET lease_owner = ?, lease_until = ?, "
                + "next_attempt_at = ? WHERE id = ? AND (lease_until IS NULL OR lease_until < ?)")) {
            Timestamp until = Timestamp.from(now.toInstant().plusSeconds(60));
            ps.setString(1, token);
            ps.setTimestamp(2, until);
            ps.setTimestamp(3, until);
            ps.setLong(4, id);
            ps.setTimestamp(5, now);
            return ps.executeUpdate() == 1;
        }
    }

    /** TrophyRepository.updateLeased plus the event it records, one transaction, as a worker's verdict is. */
    private static void workerChange(Connection c, long id, String token, SplittableRandom random)
            throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        String state = WORKER_STATES[random.nextInt(WORKER_STATES.length)];
        boolean done = state.equals("SIGNED") || state.equals("REJECTED");
        try (PreparedStatement ps = c.prepareStatement("UPDATE trophy SET accomplishment_id = ?, state = ?, "
                + "attempts = attempts + 1, next_attempt_at = ?, reason = ?, detail = ?, signed_by = ?, "
                + "updated_at = ?, verdict_at = ?, lease_owner = NULL, lease_until = NULL "
                + "WHERE id = ? AND lease_owner = ?")) {
            ps.setString(1, ACCOMPLISHMENTS[random.nextInt(ACCOMPLISHMENTS.length)]);
            ps.setString(2, state);
            ps.setTimestamp(3, done ? null : Timestamp.from(now.toInstant().plusSeconds(random.nextInt(600))));
            ps.setString(4, state.equals("REJECTED") ? "not-achieved" : state.equals("WAITING") ? "dependencies-unmet"
                    : null);
            ps.setString(5, "verdict " + state);
            ps.setString(6, state.equals("SIGNED") ? "0123456789ABCDEF0123456789ABCDEF01234567" : null);
            ps.setTimestamp(7, now);
            ps.setTimestamp(8, done ? now : null);
            ps.setLong(9, id);
            ps.setString(10, token);
            if (ps.executeUpdate() == 1) {
                event(c, id, "verdict", state, now);
            }
        }
    }

    private static void event(Connection c, long trophyId, String kind, String state, Timestamp at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO trophy_event (trophy_id, at, kind, state, detail) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, trophyId);
            ps.setTimestamp(2, at);
            ps.setString(3, kind);
            ps.setString(4, state);
            ps.setString(5, kind + " by the kill test");
            ps.executeUpdate();
        }
    }

    private static String sha256Like(SplittableRandom random) {
        StringBuilder b = new StringBuilder(64);
        for (int i = 0; i < 4; i++) {
            b.append(String.format("%016x", random.nextLong()));
        }
        return b.toString();
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String head(List<Long> ids) {
        return ids.size() <= 10 ? ids.toString() : ids.subList(0, 10) + " and " + (ids.size() - 10) + " more";
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ");
    }
}
