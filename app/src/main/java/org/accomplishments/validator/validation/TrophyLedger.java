package org.accomplishments.validator.validation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.accomplishments.validator.validation.TrophyRepository.StateCount;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The ledger of work. Every candidate trophy is a row before anything is written into a share, and every state
 * change is a history row in the same transaction, so a restart resumes exactly where the ledger says.
 *
 * <p>A worker claims a row with a fresh token and every change it makes is conditional on still holding it: if
 * the scanner closed the row meanwhile (its file changed or vanished) or the lease passed to another worker, the
 * change is refused with {@link LeaseLost} and the worker walks away.
 */
@Singleton
public class TrophyLedger {
    private static final List<String> CLOSED = List.of(TrophyState.SUPERSEDED.name(), TrophyState.VANISHED.name());
    private static final List<String> RESTARTABLE = List.of(TrophyState.PENDING.name(), TrophyState.WAITING.name(),
            TrophyState.SIGNED.name(), TrophyState.REJECTED.name(), TrophyState.IGNORED.name());

    /** The reason a row carries while an operator's revalidation is pending: no shortcut, every check again. */
    public static final String REVALIDATE = "revalidate";

    /*
     * The hot statements of a state change (the lease-checked update and the history rows) are plain JDBC on the
     * transaction's connection: through the repositories they cost a good part of the workers' Java time in
     * Micronaut Data's binding and interception (issue 12). Same SQL on H2 and PostgreSQL.
     */
    private static final String UPDATE_LEASED = "UPDATE trophy SET accomplishment_id = ?, state = ?, attempts = ?, "
            + "not_yet_count = ?, error_count = ?, dependency_waits = ?, next_attempt_at = ?, reason = ?, detail = ?, "
            + "waiting_for = ?, signed_by = ?, updated_at = ?, verdict_at = ?, lease_owner = ?, lease_until = ? "
            + "WHERE id = ? AND lease_owner = ?";
    /** A script run's history row ({@link #insertEvent}); a state change's is {@link #RECORD_CHANGE}. */
    private static final String INSERT_EVENT = "INSERT INTO trophy_event (trophy_id, at, kind, state, exit_code, "
            + "duration_ms, detail, stdout_tail, stderr_tail, accomplishment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** A state change's history row, its accomplishment as the trophy row has it now, in this transaction (V11). */
    private static final String RECORD_CHANGE = "INSERT INTO trophy_event (trophy_id, at, kind, state, detail, "
            + "accomplishment_id) SELECT id, ?, ?, ?, ?, accomplishment_id FROM trophy WHERE id = ?";

    private final TrophyRepository trophies;
    private final TrophyEventRepository events;
    private final ConnectionOperations<Connection> connections;
    private final Clock clock;

    public TrophyLedger(TrophyRepository trophies, TrophyEventRepository events,
                        ConnectionOperations<Connection> connections, Clock clock) {
        this.trophies = trophies;
        this.events = events;
        this.connections = connections;
        this.clock = clock;
    }

    /** The row changed under a worker: its lease is gone. */
    public static final class LeaseLost extends RuntimeException {
        LeaseLost(long id) {
            super("trophy " + id + " changed while it was being processed");
        }
    }

    public Instant now() {
        return clock.instant();
    }

    /** Whether {@link #discover} added (or reopened) a row that needs validating. */
    public record Discovery(TrophyRow row, boolean due) {
    }

    /**
     * Records the content found at a path. The same (share, path, content) is never a second candidate; a new
     * content supersedes the earlier row at that path.
     */
    @Transactional
    public Discovery discover(String shareId, String path, String sha256, long size, Instant modified) {
        Instant now = clock.instant();
        // Every row at the path in one look-up (trophy_share_path): the current ones a new content supersedes, and
        // the row of this very content if it was seen before (one per content, so a handful at most).
        Optional<TrophyRow> existing = Optional.empty();
        for (TrophyRow atPath : trophies.findByShareIdAndPath(shareId, path)) {
            if (atPath.sha256().equals(sha256)) {
                existing = Optional.of(atPath);
            } else if (!CLOSED.contains(atPath.state())) {
                close(atPath, TrophyState.SUPERSEDED, "superseded",
                        "the file's content changed (now sha256 " + sha256 + ")");
            }
        }
        if (existing.isPresent()) {
            TrophyRow row = existing.get();
            trophies.updateFile(row.id(), size, modified);
            if (row.trophyState() == TrophyState.SUPERSEDED || row.trophyState() == TrophyState.VANISHED) {
                // The same content is back: its old verdict file may have been replaced or removed since.
                if (trophies.restart(row.id(), CLOSED, null, now) == 1) {
                    event(row.id(), TrophyState.PENDING, "rediscovered", "the same content is back at this path");
                    return new Discovery(row, true);
                }
            }
            return new Discovery(row, false);
        }
        TrophyRow row = trophies.save(new TrophyRow(null, shareId, path, sha256, size, modified, null,
                TrophyState.PENDING.name(), 0, 0, 0, 0, now, null, null, null, null, now, now, null, null, null));
        event(row.id(), TrophyState.PENDING, "discovered", "size " + size + " bytes, sha256 " + sha256);
        return new Discovery(row, true);
    }

    /** What a share's scan found at one path: a content to {@link #discover}. */
    public record Found(String path, String sha256, long size, Instant modified) {
    }

    /**
     * {@link #discover} for every content one scan of a share found, in one transaction: one commit per scan instead
     * of one per trophy, and the look-ups run in that transaction, not each in a read-only one of its own.
     */
    @Transactional
    public List<Discovery> discoverAll(String shareId, List<Found> found) {
        List<Discovery> discoveries = new java.util.ArrayList<>(found.size());
        for (Found f : found) {
            discoveries.add(discover(shareId, f.path(), f.sha256(), f.size(), f.modified()));
        }
        return discoveries;
    }

    /**
     * Records a trophy a person issued, whose {@code .asc} and {@code .trophy} are written: signed at once, with who
     * issued it in the history, so the pipeline has nothing left to do for it. When the scanner recorded that
     * content first (it saw the file in between), that row stays and the pipeline recognises the signature.
     */
    @Transactional
    public TrophyRow recordIssued(String shareId, String path, String sha256, long size, String accomplishmentId,
                                  String fingerprint, String detail) {
        Instant now = clock.instant();
        for (TrophyRow current : trophies.findByShareIdAndPathAndStateNotInList(shareId, path, CLOSED)) {
            if (!current.sha256().equals(sha256)) {
                close(current, TrophyState.SUPERSEDED, "superseded", "a person issued a new trophy at this path");
            }
        }
        Optional<TrophyRow> existing = trophies.findByShareIdAndPathAndSha256(shareId, path, sha256);
        if (existing.isPresent()) {
            if (existing.get().trophyState() == TrophyState.REVOKED) {
                // Awarded again after a revocation with the very same text: a new award, signed anew.
                close(existing.get(), TrophyState.SIGNED, "issued", detail);
            }
            return existing.get();
        }
        TrophyRow row = trophies.save(new TrophyRow(null, shareId, path, sha256, size, now, accomplishmentId,
                TrophyState.SIGNED.name(), 0, 0, 0, 0, null, null, "issued by a person; signed by " + fingerprint,
                null, fingerprint, now, now, now, null, null));
        event(row.id(), TrophyState.SIGNED, "issued", detail);
        return row;
    }

    /**
     * Marks the signed content of a revoked award as revoked: it leaves the signed count, and the rescan neither
     * writes its signature again nor takes it for a verdict to reconcile. False when no such row is current (the
     * file changed or vanished since: its newer row carries its own verdict).
     */
    @Transactional
    public boolean revoked(String shareId, String path, String sha256, String detail) {
        Optional<TrophyRow> row = trophies.findByShareIdAndPathAndSha256(shareId, path, sha256);
        if (row.isEmpty() || !(row.get().trophyState() == TrophyState.SIGNED
                || row.get().trophyState() == TrophyState.SIGNING)) {
            return false;
        }
        return close(row.get(), TrophyState.REVOKED, "revoked", detail);
    }

    /** The rows that describe what is currently at each path of a share (not superseded, not vanished). */
    public List<TrophyRow> current(String shareId) {
        return trophies.findByShareIdAndStateNotInList(shareId, CLOSED);
    }

    /** Closes a row from outside the worker that may hold it (the scanner): its lease becomes void. */
    @Transactional
    public boolean close(TrophyRow row, TrophyState state, String kind, String detail) {
        if (trophies.close(row.id(), state.name(), clock.instant()) == 1) {
            event(row.id(), state, kind, detail);
            return true;
        }
        return false;
    }

    @Transactional
    public boolean vanished(TrophyRow row) {
        return close(row, TrophyState.VANISHED, "vanished", "the file is no longer in the share");
    }

    /** Has the verdict file of a SIGNED or REJECTED row written again (it went missing from the share). */
    @Transactional
    public boolean rewriteVerdict(TrophyRow row, TrophyState from, TrophyState to, String detail) {
        if (trophies.rewriteVerdict(row.id(), from.name(), to.name(), clock.instant()) == 1) {
            event(row.id(), to, "verdict-file-missing", detail);
            return true;
        }
        return false;
    }

    public List<TrophyRow> due(int limit) {
        return trophies.findDue(clock.instant(), limit);
    }

    public Optional<Instant> nextAttemptAt() {
        return trophies.findNextAttemptAt();
    }

    /**
     * Takes a due row for one worker until {@code lease} has passed (a dead worker's row is taken over then).
     *
     * @return the claim token to pass to {@link #move}, or empty when someone else got it first
     */
    public Optional<String> claim(TrophyRow row, String node, Duration lease) {
        Instant now = clock.instant();
        String token = node + "/" + UUID.randomUUID();
        return trophies.claim(row.id(), token, now.plus(lease), now) == 1 ? Optional.of(token) : Optional.empty();
    }

    /**
     * Takes up to {@code limit} due rows, earliest first, in one statement, and reads them back in a second: each
     * comes with the token (its {@code leaseOwner}) to pass to {@link #move}. Rows another worker or node took
     * meanwhile are simply not among them. Two statements for a whole batch, whatever the backlog, in one
     * transaction: the read-back runs in the update's, not in a read-only one of its own.
     */
    @Transactional
    public List<TrophyRow> claimDue(String node, Duration lease, int limit) {
        Instant now = clock.instant();
        String token = node + "/" + UUID.randomUUID();
        // Microseconds, as both databases store it: the read-back finds the rows by exactly this value.
        Instant until = now.plus(lease).truncatedTo(ChronoUnit.MICROS);
        if (trophies.claimDue(token, until, now, limit) == 0) {
            return List.of();
        }
        return trophies.findClaimed(token, until);
    }

    public boolean extendLease(long id, String token, Duration lease) {
        return trophies.extendLease(id, token, clock.instant().plus(lease)) == 1;
    }

    /** At start of a single node: nothing else can hold a lease, and interrupted work should resume at once. */
    @Transactional
    public void resumeAfterRestart() {
        trophies.resumeInterruptedWork(clock.instant());
        trophies.releaseAllLeases();
    }

    public Optional<TrophyRow> find(long id) {
        return trophies.findById(id);
    }

    public boolean isSigned(String shareId, String accomplishmentId) {
        return trophies.countSigned(shareId, accomplishmentId) > 0;
    }

    /** Wakes the trophies of a share waiting for {@code accomplishmentId} to be signed; how many woke. */
    public long wakeDependents(String shareId, String accomplishmentId) {
        return trophies.wakeDependents(shareId, "%," + accomplishmentId + ",%", clock.instant());
    }

    /**
     * Moves a row a worker holds to its next state and records why, in one transaction.
     *
     * @throws LeaseLost when the row is no longer this worker's
     */
    @Transactional
    public TrophyRow move(TrophyRow updated, String token, String kind, String detail) {
        return moveAfter(null, updated, token, kind, detail);
    }

    /**
     * The same, with the logic-script run that led to it ({@link #attemptOf}) recorded in the same transaction: one
     * commit per state change, its history included.
     */
    @Transactional
    public TrophyRow moveAfter(TrophyEventRow attempt, TrophyRow updated, String token, String kind, String detail) {
        if (updateLeased(updated, token) != 1) {
            throw new LeaseLost(updated.id());
        }
        if (attempt != null) {
            insertEvent(attempt);
        }
        event(updated.id(), updated.trophyState(), kind, detail);
        return updated;
    }

    /**
     * Moves a row to SIGNED and wakes the rows of its share waiting for its accomplishment, in one transaction.
     *
     * @param mayBeWaitedFor false when no installed accomplishment depends on this one: nothing can wait for it, and
     *                       the wake statement is skipped (one statement and a walk of the share's rows less)
     * @return how many dependents woke (worth a pass over the due work only then)
     * @throws LeaseLost when the row is no longer this worker's
     */
    @Transactional
    public long moveToSigned(TrophyRow updated, String token, String kind, String detail, String accomplishmentId,
                             boolean mayBeWaitedFor) {
        moveAfter(null, updated, token, kind, detail);
        return mayBeWaitedFor ? wakeDependents(updated.shareId(), accomplishmentId) : 0;
    }


    /** One logic-script run, to be recorded with the state change it leads to ({@link #moveAfter}). */
    public TrophyEventRow attemptOf(TrophyRow row, String detail, Integer exitCode, long durationMs,
                                    String stdoutTail, String stderrTail) {
        return new TrophyEventRow(null, row.id(), clock.instant(), "script", row.state(), exitCode, durationMs,
                clip(detail, 2000), clip(stdoutTail, 70_000), clip(stderrTail, 70_000), null);
    }

    /** Records a script run on its own, when the change it led to could not be made (the lease was lost). */
    @Transactional
    public void record(TrophyEventRow attempt) {
        insertEvent(attempt);
    }

    /** Records one logic-script run. */
    @Transactional
    public void attempt(TrophyRow row, String detail, Integer exitCode, long durationMs, String stdoutTail,
                        String stderrTail) {
        insertEvent(attemptOf(row, detail, exitCode, durationMs, stdoutTail, stderrTail));
    }

    /** Validates a trophy again from the start; refused while a worker holds it or when its file is gone. */
    @Transactional
    public Optional<TrophyRow> requeue(long id, String detail) {
        if (trophies.restart(id, RESTARTABLE, REVALIDATE, clock.instant()) != 1) {
            return Optional.empty();
        }
        event(id, TrophyState.PENDING, "revalidate", detail);
        return trophies.findById(id);
    }

    /** Whether {@link #requeue} may take a row in this state (the page offers the button only then). */
    public static boolean revalidatable(TrophyState state) {
        return RESTARTABLE.contains(state.name());
    }

    public List<TrophyEventRow> history(long trophyId) {
        return events.findByTrophyIdOrderById(trophyId);
    }

    public Map<String, Long> countsByState() {
        Map<String, Long> counts = new TreeMap<>();
        for (TrophyState state : TrophyState.values()) {
            counts.put(state.name().toLowerCase(Locale.ROOT), 0L);
        }
        for (StateCount count : trophies.countByState()) {
            counts.put(count.state().toLowerCase(Locale.ROOT), count.count());
        }
        return counts;
    }

    /**
     * A state change's history row, with the accomplishment read from the trophy row this transaction just changed:
     * not from the caller's copy, which the scanner may hold from before a worker first read the file.
     */
    private void event(long trophyId, TrophyState state, String kind, String detail) {
        try (PreparedStatement q = connection().prepareStatement(RECORD_CHANGE)) {
            q.setTimestamp(1, timestamp(clock.instant()));
            q.setString(2, kind);
            q.setString(3, state.name());
            q.setString(4, clip(detail, 2000));
            q.setLong(5, trophyId);
            q.executeUpdate();
        } catch (SQLException x) {
            throw new DataAccessException("recording the history of trophy " + trophyId + " failed: "
                    + x.getMessage(), x);
        }
    }

    /** The connection of the transaction the caller runs in (every caller is {@code @Transactional}). */
    private Connection connection() {
        return connections.getConnectionStatus().getConnection();
    }

    private long updateLeased(TrophyRow u, String token) {
        try (PreparedStatement q = connection().prepareStatement(UPDATE_LEASED)) {
            q.setString(1, u.accomplishmentId());
            q.setString(2, u.state());
            q.setInt(3, u.attempts());
            q.setInt(4, u.notYetCount());
            q.setInt(5, u.errorCount());
            q.setInt(6, u.dependencyWaits());
            q.setTimestamp(7, timestamp(u.nextAttemptAt()));
            q.setString(8, u.reason());
            q.setString(9, u.detail());
            q.setString(10, u.waitingFor());
            q.setString(11, u.signedBy());
            q.setTimestamp(12, timestamp(u.updatedAt()));
            q.setTimestamp(13, timestamp(u.verdictAt()));
            q.setString(14, u.leaseOwner());
            q.setTimestamp(15, timestamp(u.leaseUntil()));
            q.setLong(16, u.id());
            q.setString(17, token);
            return q.executeUpdate();
        } catch (SQLException e) {
            throw new DataAccessException("moving trophy " + u.id() + " failed: " + e.getMessage(), e);
        }
    }

    /** Inserts one history row; its generated id is not read back (nothing uses it). */
    private void insertEvent(TrophyEventRow e) {
        try (PreparedStatement q = connection().prepareStatement(INSERT_EVENT)) {
            q.setLong(1, e.trophyId());
            q.setTimestamp(2, timestamp(e.at()));
            q.setString(3, e.kind());
            q.setString(4, e.state());
            if (e.exitCode() == null) {
                q.setNull(5, Types.INTEGER);
            } else {
                q.setInt(5, e.exitCode());
            }
            if (e.durationMs() == null) {
                q.setNull(6, Types.BIGINT);
            } else {
                q.setLong(6, e.durationMs());
            }
            q.setString(7, e.detail());
            q.setString(8, e.stdoutTail());
            q.setString(9, e.stderrTail());
            q.setString(10, e.accomplishmentId());
            q.executeUpdate();
        } catch (SQLException x) {
            throw new DataAccessException("recording the history of trophy " + e.trophyId() + " failed: "
                    + x.getMessage(), x);
        }
    }

    private static Timestamp timestamp(@Nullable Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(s.length() - max);
    }
}
