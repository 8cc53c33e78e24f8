package org.accomplishments.validator.issuing;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.accomplishments.validator.audit.AuditLog;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.collection.AccomplishmentCatalog;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.trophy.OneLine;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Awarding many trophies from a CSV file ({@code owner or share id, accomplishment id, note}): a dry run first
 * that gives every row its outcome, then, on the issuer's word, the run itself in the background with progress.
 *
 * <p>Jobs live in memory for {@link #KEEP} (a restart forgets them; what was applied is in the issued-trophy table
 * and the audit log, and applying the same file again refuses the rows already issued).
 */
@Singleton
public class BulkIssuance {
    public static final int MAX_ROWS = 50_000;
    static final Duration KEEP = Duration.ofHours(12);
    /** Each row waits on two fsyncs: a few writers in parallel keep the disk busy and the CPU free. */
    private static final int WORKERS = 4;

    private final HumanIssuedTrophies trophies;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bulk-issuance");
        t.setDaemon(true);
        return t;
    });

    public BulkIssuance(HumanIssuedTrophies trophies, AuditLog audit, Clock clock) {
        this.trophies = trophies;
        this.audit = audit;
        this.clock = clock;
    }

    public enum Verdict { WILL_ISSUE, REFUSED, ISSUED, FAILED }

    /** One line of the file and what became (or would become) of it. */
    public static final class Row {
        private final long line;
        private final String who;
        private final String accomplishment;
        private final String note;
        private volatile Verdict verdict;
        private volatile String message;
        private volatile String shareId;

        Row(long line, String who, String accomplishment, String note) {
            this.line = line;
            this.who = who;
            this.accomplishment = accomplishment;
            this.note = note;
        }

        public long line() {
            return line;
        }

        public String who() {
            return who;
        }

        public String accomplishment() {
            return accomplishment;
        }

        public String note() {
            return note;
        }

        public Verdict verdict() {
            return verdict;
        }

        public String verdictName() {
            return verdict.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public String message() {
            return message;
        }

        public String shareId() {
            return shareId;
        }
    }

    public enum State { CHECKED, APPLYING, DONE }

    public static final class Job {
        private final String id;
        private final String owner;
        private final String fileName;
        private final Instant createdAt;
        private final List<Row> rows;
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger issued = new AtomicInteger();
        private final AtomicInteger refused = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private volatile State state = State.CHECKED;
        private volatile Instant startedAt;
        private volatile Instant finishedAt;

        Job(String id, String owner, String fileName, Instant createdAt, List<Row> rows) {
            this.id = id;
            this.owner = owner;
            this.fileName = fileName;
            this.createdAt = createdAt;
            this.rows = Collections.unmodifiableList(rows);
        }

        public String id() {
            return id;
        }

        public String owner() {
            return owner;
        }

        public String fileName() {
            return fileName;
        }

        public List<Row> rows() {
            return rows;
        }

        public State state() {
            return state;
        }

        public int total() {
            return rows.size();
        }

        public long willIssue() {
            return rows.stream().filter(r -> r.verdict == Verdict.WILL_ISSUE).count();
        }

        public long refusedInDryRun() {
            return state == State.CHECKED ? rows.stream().filter(r -> r.verdict == Verdict.REFUSED).count() : refused.get();
        }

        public int done() {
            return done.get();
        }

        public int issued() {
            return issued.get();
        }

        public int failed() {
            return failed.get();
        }

        public int percent() {
            long toDo = rows.stream().filter(r -> r.verdict != Verdict.REFUSED || state != State.CHECKED).count();
            return toDo == 0 ? 100 : (int) Math.min(100, done.get() * 100L / Math.max(1, total()));
        }

        public Instant startedAt() {
            return startedAt;
        }

        public Instant finishedAt() {
            return finishedAt;
        }

        public Duration took() {
            return startedAt == null ? Duration.ZERO
                    : Duration.between(startedAt, finishedAt != null ? finishedAt : Instant.now());
        }
    }

    /** Reads the file and checks every row; nothing is written. */
    public Job dryRun(Principal who, String fileName, String csv) {
        purgeOld();
        List<Row> rows = new ArrayList<>();
        String problem = read(csv, rows);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        check(who, rows);
        Job job = new Job(UUID.randomUUID().toString(), who.name(), OneLine.of(fileName == null ? "upload.csv" : fileName, 200),
                clock.instant(), rows);
        jobs.put(job.id(), job);
        audit.record(who.name(), "bulk-dry-run", job.fileName(), rows.size() + " rows, " + job.willIssue()
                + " would be issued", null);
        return job;
    }

    /** A job of this person's (or any, for an admin). */
    public Optional<Job> find(Principal who, String id) {
        Job job = id == null ? null : jobs.get(id);
        return job != null && (job.owner().equals(who.name()) || who.isAdmin()) ? Optional.of(job) : Optional.empty();
    }

    /** Starts applying a checked job in the background; false when it was started already. */
    public synchronized boolean apply(Principal who, Job job, String remote) {
        if (job.state != State.CHECKED || !job.owner().equals(who.name())) {
            return false;
        }
        job.state = State.APPLYING;
        job.startedAt = clock.instant();
        audit.record(who.name(), "bulk-apply", job.fileName(), job.willIssue() + " rows to issue", remote);
        runner.execute(() -> run(who, job, remote));
        return true;
    }

    /** Runs the job here and now (the benchmark and tests); returns when it is done. */
    public void applyNow(Principal who, Job job, String remote) {
        synchronized (this) {
            if (job.state != State.CHECKED) {
                throw new IllegalStateException("job " + job.id() + " was applied already");
            }
            job.state = State.APPLYING;
            job.startedAt = clock.instant();
        }
        run(who, job, remote);
    }

    private void run(Principal who, Job job, String remote) {
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "bulk-issuance-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Share> shares = trophies.shares();
            AccomplishmentCatalog catalog = trophies.catalog();
            for (Row row : job.rows()) {
                if (row.verdict != Verdict.WILL_ISSUE) {
                    job.refused.incrementAndGet();
                    job.done.incrementAndGet();
                    continue;
                }
                workers.execute(() -> {
                    try {
                        HumanIssuedTrophies.Check check = trophies.prepare(who, shares.get(row.shareId),
                                row.accomplishment(), row.note(), "", catalog);
                        if (check instanceof HumanIssuedTrophies.Check.Refused refused) {
                            settle(job, row, Verdict.REFUSED, refused.reason());
                            return;
                        }
                        IssueOutcome outcome = trophies.write(who, ((HumanIssuedTrophies.Check.Ready) check).draft(),
                                remote, true, job.id(), row.line());
                        if (outcome instanceof IssueOutcome.Issued issued) {
                            settle(job, row, Verdict.ISSUED, "issued #" + issued.row().id());
                        } else if (outcome instanceof IssueOutcome.Failed failed) {
                            settle(job, row, Verdict.FAILED, failed.detail());
                        } else {
                            settle(job, row, Verdict.REFUSED, ((IssueOutcome.Refused) outcome).reason());
                        }
                    } catch (RuntimeException e) {
                        settle(job, row, Verdict.FAILED, e.toString());
                    }
                });
            }
            workers.shutdown();
            workers.awaitTermination(1, TimeUnit.DAYS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            workers.shutdownNow();
            job.finishedAt = clock.instant();
            job.state = State.DONE;
            audit.record(who.name(), "bulk-done", job.fileName(), job.issued() + " issued, " + job.refused.get()
                    + " refused, " + job.failed() + " failed in " + job.took().toMillis() + " ms", remote);
        }
    }

    private static void settle(Job job, Row row, Verdict verdict, String message) {
        row.verdict = verdict;
        row.message = message;
        switch (verdict) {
            case ISSUED -> job.issued.incrementAndGet();
            case FAILED -> job.failed.incrementAndGet();
            default -> job.refused.incrementAndGet();
        }
        job.done.incrementAndGet();
    }

    /** Parses the CSV into rows; a message when the file as a whole is unusable. */
    static String read(String csv, List<Row> rows) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true)
                .setIgnoreSurroundingSpaces(true).get();
        try (Reader reader = new StringReader(csv); CSVParser parser = CSVParser.parse(reader, format)) {
            for (CSVRecord record : parser) {
                if (record.size() == 1 && record.get(0).isEmpty()) {
                    continue;
                }
                if (record.getRecordNumber() == 1 && record.size() >= 2
                        && record.get(1).toLowerCase(Locale.ROOT).startsWith("accomplishment")) {
                    continue; // a header line
                }
                if (rows.size() >= MAX_ROWS) {
                    return "the file has more than " + MAX_ROWS + " rows; split it";
                }
                String who = record.size() > 0 ? record.get(0) : "";
                String accomplishment = record.size() > 1 ? record.get(1) : "";
                String note = record.size() > 2 ? record.get(2) : "";
                Row row = new Row(parser.getCurrentLineNumber(), OneLine.of(who, 200), OneLine.of(accomplishment, 300),
                        OneLine.of(note, HumanIssuedTrophies.MAX_NOTE));
                if (record.size() > 3) {
                    row.verdict = Verdict.REFUSED;
                    row.message = "more than 3 columns (owner or share id, accomplishment id, note): quote the note";
                }
                rows.add(row);
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            return "not a CSV file: " + OneLine.of(String.valueOf(e.getMessage()), 300);
        }
        if (rows.isEmpty()) {
            return "the file has no rows";
        }
        return null;
    }

    private void check(Principal who, List<Row> rows) {
        Map<String, Share> shares = trophies.shares();
        Map<String, List<Share>> byOwner = new HashMap<>();
        shares.values().stream().filter(Share::accepted)
                .forEach(s -> byOwner.computeIfAbsent(s.owner(), o -> new ArrayList<>()).add(s));
        AccomplishmentCatalog catalog = trophies.catalog();
        Map<String, Long> seen = new HashMap<>();
        for (Row row : rows) {
            if (row.verdict == Verdict.REFUSED) {
                continue;
            }
            Share share = shares.get(row.who());
            if (share == null) {
                List<Share> owned = byOwner.getOrDefault(row.who(), List.of());
                if (owned.size() > 1) {
                    row.verdict = Verdict.REFUSED;
                    row.message = row.who() + " has " + owned.size() + " accepted shares: give the share id";
                    continue;
                }
                share = owned.isEmpty() ? null : owned.get(0);
            }
            if (share == null) {
                row.verdict = Verdict.REFUSED;
                row.message = "no accepted share with that id or owner";
                continue;
            }
            row.shareId = share.id();
            Long earlier = seen.putIfAbsent(share.id() + "\n" + row.accomplishment(), row.line());
            if (earlier != null) {
                row.verdict = Verdict.REFUSED;
                row.message = "the same share and accomplishment as line " + earlier;
                continue;
            }
            HumanIssuedTrophies.Check check = trophies.prepare(who, share, row.accomplishment(), row.note(), "", catalog);
            if (check instanceof HumanIssuedTrophies.Check.Refused refused) {
                row.verdict = Verdict.REFUSED;
                row.message = refused.reason();
            } else {
                row.verdict = Verdict.WILL_ISSUE;
                row.message = "to " + share.owner() + " (share " + share.id() + ")";
            }
        }
    }

    private void purgeOld() {
        Instant limit = clock.instant().minus(KEEP);
        jobs.values().removeIf(j -> j.state != State.APPLYING && j.createdAt.isBefore(limit));
    }

    @PreDestroy
    void close() {
        runner.shutdownNow();
    }
}
