package org.accomplishments.validator.issuing;

import io.micronaut.transaction.annotation.Transactional;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Awarding many trophies from a CSV file ({@code owner or share id, accomplishment id, note}): a dry run first
 * that gives every row its outcome, then, on the issuer's word, the run itself in the background with progress.
 *
 * <p>Jobs and their rows live in the database ({@code bulk_job}, {@code bulk_row}), so a restart finds them. A row
 * is "not started" ({@code WILL_ISSUE}) until its outcome is recorded; the award it writes carries the job and the
 * line, and is itself recorded before (WRITING, made durable) and after (ISSUED) its files. After a crash,
 * {@link AwardRecovery} settles the half-written awards from what is on disk and the job resumes by itself: a row
 * whose award is issued is recorded as issued, one whose award never got its files is simply done again.
 */
@Singleton
public class BulkIssuance {
    private static final Logger LOG = LoggerFactory.getLogger(BulkIssuance.class);
    public static final int MAX_ROWS = 50_000;
    /** Finished and never-applied jobs are kept this long, then forgotten (what they did stays in the audit log). */
    static final Duration KEEP = Duration.ofDays(7);
    /**
     * Rows are applied a page ({@code BATCH} rows) at a time: one transaction for the page's intents, one checkpoint
     * (CommitFlush), the files of every row written by {@code WORKERS} threads (ext4 commits the parallel fsyncs of
     * many writers in one journal transaction: issue 12, 16 threads fsync about 6,000 files/s), one transaction for
     * the outcomes. Two pages are in flight, so one page's database work overlaps the other's files.
     */
    private static final int WORKERS = 32;
    private static final int BATCH = 200;
    private static final int BATCHES_IN_FLIGHT = 2;

    private final HumanIssuedTrophies trophies;
    private final BulkJobRepository jobs;
    private final BulkRowRepository rows;
    private final IssuedTrophyRepository issued;
    private final CommitFlush commits;
    private final AuditLog audit;
    private final Clock clock;
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bulk-issuance");
        t.setDaemon(true);
        return t;
    });
    private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public BulkIssuance(HumanIssuedTrophies trophies, BulkJobRepository jobs, BulkRowRepository rows,
                        IssuedTrophyRepository issued, CommitFlush commits, AuditLog audit, Clock clock) {
        this.trophies = trophies;
        this.jobs = jobs;
        this.rows = rows;
        this.issued = issued;
        this.commits = commits;
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
        private Verdict verdict;
        private String message;
        private String shareId;

        Row(long line, String who, String accomplishment, String note) {
            this.line = line;
            this.who = who;
            this.accomplishment = accomplishment;
            this.note = note;
        }

        static Row of(BulkRowRow r) {
            Row row = new Row(r.line(), r.who(), r.accomplishment(), r.note());
            row.verdict = Verdict.valueOf(r.verdict());
            row.message = r.message();
            row.shareId = r.shareId();
            return row;
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

    /** A job as it stands in the database when it was read: counts cover the whole file. */
    public static final class Job {
        private final BulkJobRow row;
        private final Map<Verdict, Long> counts;

        Job(BulkJobRow row, Map<Verdict, Long> counts) {
            this.row = row;
            this.counts = counts;
        }

        public String id() {
            return row.id();
        }

        public String owner() {
            return row.owner();
        }

        public String fileName() {
            return row.fileName();
        }

        public State state() {
            return State.valueOf(row.state());
        }

        public int total() {
            return row.total();
        }

        private long count(Verdict v) {
            return counts.getOrDefault(v, 0L);
        }

        /** Rows that would be issued (dry run), or are not started yet (while applying). */
        public long willIssue() {
            return count(Verdict.WILL_ISSUE);
        }

        public long refusedInDryRun() {
            return count(Verdict.REFUSED);
        }

        public long refused() {
            return count(Verdict.REFUSED);
        }

        public long done() {
            return state() == State.CHECKED ? 0 : total() - count(Verdict.WILL_ISSUE);
        }

        public long issued() {
            return count(Verdict.ISSUED);
        }

        public long failed() {
            return count(Verdict.FAILED);
        }

        public int percent() {
            return total() == 0 ? 100 : (int) Math.min(100, done() * 100L / total());
        }

        public Instant startedAt() {
            return row.startedAt();
        }

        public Instant finishedAt() {
            return row.finishedAt();
        }

        public Duration took() {
            return row.startedAt() == null ? Duration.ZERO
                    : Duration.between(row.startedAt(), row.finishedAt() != null ? row.finishedAt() : Instant.now());
        }
    }

    /** A file that cannot be read as a bulk file at all, with the line where it went wrong when there is one. */
    public static final class UnreadableFile extends IllegalArgumentException {
        UnreadableFile(String message) {
            super(message);
        }
    }

    /** Reads the file and checks every row; nothing is written into any share. */
    public Job dryRun(Principal who, String fileName, String csv) {
        purgeOld();
        List<Row> parsed = new ArrayList<>();
        String problem = read(csv, parsed);
        if (problem != null) {
            throw new UnreadableFile(problem);
        }
        check(who, parsed);
        BulkJobRow job = new BulkJobRow(UUID.randomUUID().toString(), who.name(),
                OneLine.of(fileName == null ? "upload.csv" : fileName, 200), State.CHECKED.name(), parsed.size(), null,
                clock.instant(), null, null);
        store(job, parsed);
        commits.flush();
        Job stored = load(job);
        audit.record(who.name(), "bulk-dry-run", job.fileName(), parsed.size() + " rows, " + stored.willIssue()
                + " would be issued", null);
        return stored;
    }

    /** The job and all its rows, in one transaction: a job is never half stored. */
    @Transactional
    public void store(BulkJobRow job, List<Row> parsed) {
        jobs.save(job);
        List<BulkRowRow> batch = new ArrayList<>(Math.min(parsed.size(), 1000));
        for (Row r : parsed) {
            batch.add(new BulkRowRow(null, job.id(), r.line(), r.who(), r.accomplishment(), r.note(), r.shareId(),
                    r.verdict().name(), r.message() == null ? null : OneLine.of(r.message(), 2000), null));
            if (batch.size() == 1000) {
                rows.saveAll(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            rows.saveAll(batch);
        }
    }

    /** A job of this person's (or any, for an admin). */
    public Optional<Job> find(Principal who, String id) {
        if (id == null || id.length() > 36) {
            return Optional.empty();
        }
        return jobs.findById(id).filter(j -> j.owner().equals(who.name()) || who.isAdmin()).map(this::load);
    }

    /** The first {@code limit} rows of a job, in file order. */
    public List<Row> rows(Job job, int limit) {
        return rows.firstRows(job.id(), limit).stream().map(Row::of).toList();
    }

    private Job load(BulkJobRow row) {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        for (BulkJobRepository.VerdictCount c : jobs.countVerdicts(row.id())) {
            counts.put(Verdict.valueOf(c.verdict()), c.count());
        }
        return new Job(row, counts);
    }

    /** Starts applying a checked job in the background; false when it was started already (here or elsewhere). */
    public boolean apply(Principal who, Job job, String remote) {
        if (job.state() != State.CHECKED || !job.owner().equals(who.name())) {
            return false;
        }
        if (jobs.startApplying(job.id(), clock.instant(), remote == null ? "?" : OneLine.of(remote, 100)) != 1) {
            return false;
        }
        commits.flush();
        audit.record(who.name(), "bulk-apply", job.fileName(), job.willIssue() + " rows to issue", remote);
        runner.execute(() -> run(who, job.id(), remote));
        return true;
    }

    /** Runs the job here and now (the benchmark and tests); returns when it is done. */
    public void applyNow(Principal who, Job job, String remote) {
        if (jobs.startApplying(job.id(), clock.instant(), remote == null ? "?" : remote) != 1) {
            throw new IllegalStateException("job " + job.id() + " was applied already");
        }
        run(who, job.id(), remote);
    }

    /**
     * After a restart: jobs that were applying go on by themselves, as their owner (whose role and scope are looked
     * up again, so a person who lost the right to issue meanwhile issues nothing more).
     */
    void resumeAll(Function<String, Optional<Principal>> owners) {
        for (BulkJobRow job : jobs.findApplying()) {
            Optional<Principal> owner = owners.apply(job.owner());
            Job loaded = load(job);
            LOG.info("bulk job {} ({}) was applying when the service stopped: {} of {} rows not started; resuming",
                    job.id(), job.fileName(), loaded.willIssue(), job.total());
            audit.record("system", "bulk-resume", job.fileName(), loaded.willIssue() + " of " + job.total()
                    + " rows not started; resumed after a restart", null);
            runner.execute(() -> owner.ifPresentOrElse(p -> run(p, job.id(), job.remote()), () -> refuseRest(job)));
        }
    }

    private void refuseRest(BulkJobRow job) {
        for (BulkRowRow row : rows.notStarted(job.id(), 0, Integer.MAX_VALUE)) {
            rows.settle(row.id(), Verdict.REFUSED.name(), job.owner() + " may no longer issue", null);
        }
        jobs.finish(job.id(), clock.instant());
    }

    private void run(Principal who, String jobId, String remote) {
        if (!running.add(jobId)) {
            return; // already running in this process
        }
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "bulk-issuance-worker");
            t.setDaemon(true);
            return t;
        });
        ExecutorService batches = Executors.newFixedThreadPool(BATCHES_IN_FLIGHT, r -> {
            Thread t = new Thread(r, "bulk-issuance-batch");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(BATCHES_IN_FLIGHT);
        BulkJobRow job = jobs.findById(jobId).orElseThrow();
        try {
            Map<String, Share> shares = trophies.shares();
            AccomplishmentCatalog catalog = trophies.catalog();
            long after = 0;
            while (!closed) {
                List<BulkRowRow> page = rows.notStarted(jobId, after, BATCH);
                if (page.isEmpty()) {
                    break;
                }
                after = page.get(page.size() - 1).line();
                inFlight.acquire();
                batches.execute(() -> {
                    try {
                        applyBatch(who, job, page, shares, catalog, remote, workers);
                    } finally {
                        inFlight.release();
                    }
                });
            }
            batches.shutdown();
            batches.awaitTermination(1, TimeUnit.DAYS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            batches.shutdownNow();
            workers.shutdownNow();
            running.remove(jobId);
        }
        if (closed || !rows.notStarted(jobId, 0, 1).isEmpty()) {
            return; // stopped midway: the next start resumes it
        }
        if (jobs.finish(jobId, clock.instant()) == 1) {
            Job done = load(jobs.findById(jobId).orElseThrow());
            audit.record(who.name(), "bulk-done", job.fileName(), done.issued() + " issued, " + done.refused()
                    + " refused, " + done.failed() + " failed in " + done.took().toMillis() + " ms", remote);
        }
    }

    /** A row's outcome, to be recorded with the rest of its page's. */
    record Settled(long rowId, Verdict verdict, String message, Long issuedId) {
    }

    /**
     * One page of rows: each checked again (in parallel), the awards written as one batch
     * ({@link HumanIssuedTrophies#writeAll}), then every row's outcome recorded in one transaction. A row whose
     * award a run before a restart wrote is recorded from that award; one still being written is left for later.
     */
    private void applyBatch(Principal who, BulkJobRow job, List<BulkRowRow> page, Map<String, Share> shares,
                            AccomplishmentCatalog catalog, String remote, ExecutorService workers) {
        Map<Long, List<IssuedTrophyRow>> earlier = new HashMap<>();
        for (IssuedTrophyRow award : issued.findByBulkLines(job.id(), page.get(0).line(),
                page.get(page.size() - 1).line())) {
            earlier.computeIfAbsent(award.bulkLine(), line -> new ArrayList<>()).add(award);
        }
        List<Settled> settled = new ArrayList<>(page.size());
        List<BulkRowRow> toWrite = new ArrayList<>(page.size());
        List<Future<HumanIssuedTrophies.Check>> checks = new ArrayList<>(page.size());
        for (BulkRowRow row : page) {
            if (doneBefore(row, earlier.getOrDefault(row.line(), List.of()), settled)) {
                continue;
            }
            toWrite.add(row);
            checks.add(workers.submit(() -> trophies.prepare(who, shares.get(row.shareId()), row.accomplishment(),
                    row.note(), "", catalog)));
        }
        List<BulkRowRow> ready = new ArrayList<>(toWrite.size());
        List<HumanIssuedTrophies.BatchAward> awards = new ArrayList<>(toWrite.size());
        for (int i = 0; i < toWrite.size(); i++) {
            BulkRowRow row = toWrite.get(i);
            try {
                HumanIssuedTrophies.Check check = checks.get(i).get();
                if (check instanceof HumanIssuedTrophies.Check.Refused refused) {
                    LOG.info("bulk job {} line {}: refused while applying: {}", job.id(), row.line(), refused.reason());
                    settled.add(new Settled(row.id(), Verdict.REFUSED, OneLine.of(refused.reason(), 2000), null));
                } else {
                    ready.add(row);
                    awards.add(new HumanIssuedTrophies.BatchAward(((HumanIssuedTrophies.Check.Ready) check).draft(),
                            job.id(), row.line()));
                }
            } catch (ExecutionException e) {
                settled.add(failed(job, row, e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // nothing of this page recorded: the next start does it
            }
        }
        if (!awards.isEmpty()) {
            try {
                List<IssueOutcome> outcomes = trophies.writeAll(who, awards, remote, workers);
                for (int i = 0; i < ready.size(); i++) {
                    settled.add(settledBy(job, ready.get(i), outcomes.get(i)));
                }
            } catch (RuntimeException e) {
                ready.forEach(row -> settled.add(failed(job, row, e)));
            }
        }
        settleAll(settled);
    }

    /** Done before a restart? The award names its job and line; the recovery settled it from the disk. */
    private static boolean doneBefore(BulkRowRow row, List<IssuedTrophyRow> awards, List<Settled> settled) {
        for (IssuedTrophyRow award : awards) {
            if (award.state().equals(IssuedTrophyRow.State.ISSUED.name())
                    || award.state().equals(IssuedTrophyRow.State.REVOKED.name())) { // issued, revoked since
                settled.add(new Settled(row.id(), Verdict.ISSUED, "issued #" + award.id(), award.id()));
                return true;
            }
            if (award.state().equals(IssuedTrophyRow.State.WRITING.name())) {
                return true; // another node is writing it (clustered), or the recovery will settle it
            }
        }
        return false;
    }

    private static Settled settledBy(BulkJobRow job, BulkRowRow row, IssueOutcome outcome) {
        if (outcome instanceof IssueOutcome.Issued done) {
            return new Settled(row.id(), Verdict.ISSUED, "issued #" + done.row().id(), done.row().id());
        }
        if (outcome instanceof IssueOutcome.Failed failed) {
            LOG.info("bulk job {} line {}: failed: {}", job.id(), row.line(), failed.detail());
            return new Settled(row.id(), Verdict.FAILED, OneLine.of(failed.detail(), 2000), null);
        }
        return new Settled(row.id(), Verdict.REFUSED, OneLine.of(((IssueOutcome.Refused) outcome).reason(), 2000),
                null);
    }

    private static Settled failed(BulkJobRow job, BulkRowRow row, Throwable e) {
        LOG.warn("bulk job {} line {}: {}", job.id(), row.line(), e.toString());
        return new Settled(row.id(), Verdict.FAILED, OneLine.of(e.toString(), 2000), null);
    }

    /** The outcomes of a page's rows, in one transaction. */
    @Transactional
    public void settleAll(List<Settled> settled) {
        for (Settled s : settled) {
            rows.settle(s.rowId(), s.verdict().name(), s.message(), s.issuedId());
        }
    }

    /** Parses the CSV into rows; a message naming the line when the file as a whole is unusable. */
    static String read(String csv, List<Row> rows) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true)
                .setIgnoreSurroundingSpaces(true).get();
        CSVParser parser = null;
        try (Reader reader = new StringReader(csv)) {
            parser = CSVParser.parse(reader, format);
            Iterator<CSVRecord> records = parser.iterator();
            while (records.hasNext()) {
                CSVRecord record = records.next();
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
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            // Commons CSV reports a broken record (a quote never closed, a character after a closing quote) as an
            // unchecked exception from the iterator: say where, in the words of the file, not as a server error.
            long line = parser == null ? 1 : Math.max(1, parser.getCurrentLineNumber());
            return "not a CSV file: line " + line + ": " + describe(e);
        }
        if (rows.isEmpty()) {
            return "the file has no rows";
        }
        return null;
    }

    private static String describe(Exception e) {
        String message = String.valueOf(e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        message = message.replaceFirst("^\\(line \\d+\\) ", "").replaceFirst("^\\(startline \\d+\\) ", "");
        if (message.contains("EOF reached before encapsulated token finished")) {
            return "a quoted field is never closed (a \" without its closing \")";
        }
        if (message.contains("invalid char between encapsulated token and delimiter")) {
            return "a character follows a closing quote before the comma (write \"\" for a quote inside a field)";
        }
        return OneLine.of(message, 300);
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
        for (String id : jobs.findOlderThan(clock.instant().minus(KEEP))) {
            jobs.deleteRows(id);
            jobs.deleteById(id);
        }
    }

    @PreDestroy
    void close() {
        closed = true;
        runner.shutdownNow();
    }
}
