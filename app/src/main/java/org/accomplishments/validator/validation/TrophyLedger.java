package org.accomplishments.validator.validation;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.accomplishments.validator.validation.TrophyRepository.StateCount;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The ledger of work. Every candidate trophy is a row before anything is written into a share, and every state
 * change is a history row in the same transaction, so a restart resumes exactly where the ledger says.
 */
@Singleton
public class TrophyLedger {
    private static final List<String> CLOSED = List.of(TrophyState.SUPERSEDED.name(), TrophyState.VANISHED.name());

    private final TrophyRepository trophies;
    private final TrophyEventRepository events;
    private final Clock clock;

    public TrophyLedger(TrophyRepository trophies, TrophyEventRepository events, Clock clock) {
        this.trophies = trophies;
        this.events = events;
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }

    /** Whether {@link #discover} added a row that needs validating. */
    public record Discovery(TrophyRow row, boolean due) {
    }

    /**
     * Records the content found at a path. The same (share, path, content) is never a second candidate; a new
     * content supersedes the earlier row at that path.
     */
    @Transactional
    public Discovery discover(String shareId, String path, String sha256, long size, Instant modified) {
        Instant now = clock.instant();
        for (TrophyRow current : trophies.findByShareIdAndPathAndStateNotInList(shareId, path, CLOSED)) {
            if (!current.sha256().equals(sha256)) {
                move(current.moveTo(TrophyState.SUPERSEDED, current.reason(), current.detail(), null, now),
                        "superseded", "the file's content changed (now sha256 " + sha256 + ")");
            }
        }
        Optional<TrophyRow> existing = trophies.findByShareIdAndPathAndSha256(shareId, path, sha256);
        if (existing.isPresent()) {
            TrophyRow row = existing.get();
            TrophyState state = row.trophyState();
            if (state == TrophyState.SUPERSEDED || state == TrophyState.VANISHED) {
                // The file came back with content seen before: its old verdict file may have been replaced since.
                TrophyRow reopened = row.withFile(size, modified).withCounts(0, 0, 0, 0)
                        .moveTo(TrophyState.PENDING, null, null, now, now);
                return new Discovery(move(reopened, "rediscovered", "the same content is back at this path"), true);
            }
            if (row.size() != size || !modified.equals(row.modifiedAt())) {
                trophies.update(row.withFile(size, modified));
            }
            return new Discovery(row, false);
        }
        TrophyRow row = trophies.save(new TrophyRow(null, shareId, path, sha256, size, modified, null,
                TrophyState.PENDING.name(), 0, 0, 0, 0, now, null, null, null, now, now, null, null, null));
        event(row, "discovered", "size " + size + " bytes, sha256 " + sha256, null, null, null, null);
        return new Discovery(row, true);
    }

    /** The rows that describe what is currently at each path of a share (not superseded, not vanished). */
    public List<TrophyRow> current(String shareId) {
        return trophies.findByShareIdAndStateNotInList(shareId, CLOSED);
    }

    @Transactional
    public void vanished(TrophyRow row) {
        move(row.moveTo(TrophyState.VANISHED, row.reason(), row.detail(), null, clock.instant()), "vanished",
                "the file is no longer in the share");
    }

    public List<TrophyRow> due(int limit) {
        return trophies.findDue(clock.instant(), limit);
    }

    public Optional<Instant> nextAttemptAt() {
        return trophies.findNextAttemptAt();
    }

    /** Takes a row for one worker until {@code lease} has passed (another node's or a dead run's lease is taken over). */
    public boolean claim(TrophyRow row, String owner, Duration lease) {
        Instant now = clock.instant();
        return trophies.claim(row.id(), owner, now.plus(lease), now) == 1;
    }

    /** At start of a single node: nothing else can hold a lease, and half-done writes should resume at once. */
    @Transactional
    public void resumeAfterRestart() {
        trophies.releaseAllLeases();
        trophies.resumeInterruptedWrites(clock.instant());
    }

    public Optional<TrophyRow> find(long id) {
        return trophies.findById(id);
    }

    public boolean isSigned(String shareId, String accomplishmentId) {
        return trophies.countSigned(shareId, accomplishmentId) > 0;
    }

    public void wakeDependents(String shareId) {
        trophies.wakeDependents(shareId, clock.instant());
    }

    /** Moves a row to its next state and records why, in one transaction. */
    @Transactional
    public TrophyRow move(TrophyRow updated, String kind, String detail) {
        trophies.update(updated);
        event(updated, kind, detail, null, null, null, null);
        return updated;
    }

    /** Records one logic-script run. */
    @Transactional
    public void attempt(TrophyRow row, String detail, Integer exitCode, long durationMs, String stdoutTail,
                        String stderrTail) {
        event(row, "script", detail, exitCode, durationMs, stdoutTail, stderrTail);
    }

    @Transactional
    public TrophyRow requeue(long id, String detail) {
        TrophyRow row = trophies.findById(id).orElseThrow();
        Instant now = clock.instant();
        return move(row.withCounts(0, 0, 0, 0).moveTo(TrophyState.PENDING, null, null, now, now), "revalidate", detail);
    }

    public List<TrophyEventRow> history(long trophyId) {
        return events.findByTrophyIdOrderById(trophyId);
    }

    public Map<String, Long> countsByState() {
        Map<String, Long> counts = new TreeMap<>();
        for (TrophyState state : TrophyState.values()) {
            counts.put(state.name().toLowerCase(java.util.Locale.ROOT), 0L);
        }
        for (StateCount count : trophies.countByState()) {
            counts.put(count.state().toLowerCase(java.util.Locale.ROOT), count.count());
        }
        return counts;
    }

    private void event(TrophyRow row, String kind, String detail, Integer exitCode, Long durationMs, String stdout,
                       String stderr) {
        events.save(new TrophyEventRow(null, row.id(), clock.instant(), kind, row.state(), exitCode, durationMs,
                clip(detail, 2000), clip(stdout, 70_000), clip(stderr, 70_000)));
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(s.length() - max);
    }
}
