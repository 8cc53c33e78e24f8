package org.accomplishments.validator.validation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.accomplishments.validator.collection.AccomplishmentCatalog;
import org.accomplishments.validator.collection.InstalledCollections;
import org.accomplishments.validator.share.BlockedReadException;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareFolder;
import org.accomplishments.validator.share.ShareRegistry;
import org.accomplishments.validator.share.ShareSettings;
import org.accomplishments.validator.trophy.ParseResult;
import org.accomplishments.validator.trophy.RejectionReason;
import org.accomplishments.validator.trophy.SignedTrophy;
import org.accomplishments.validator.trophy.SignedTrophyText;
import org.accomplishments.validator.trophy.Trophy;
import org.accomplishments.validator.trophy.TrophyParser;
import org.accomplishments.validator.trophy.TrophyRejection;
import org.accomplishments.validator.validation.script.LogicScriptRunner;
import org.accomplishments.validator.validation.script.ScriptAnswer;
import org.accomplishments.validator.validation.script.ScriptInvocation;
import org.accomplishments.validator.validation.script.ScriptOutcome;
import org.accomplishments.validator.validation.script.ScriptRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes due trophies from the ledger and brings each one step closer to its verdict: checks, logic script,
 * signature or rejection, each state change recorded before and after anything is written into the share.
 *
 * <p>Work is claimed with a lease, so two workers (or two nodes) never process one row at once, and a row a dead
 * process held is taken over when its lease runs out. The Quartz timer calls {@link #wake()} too, so work is
 * done even when no event ever arrives.
 */
@Singleton
public class ValidationPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ValidationPipeline.class);

    private final TrophyLedger ledger;
    private final ShareRegistry registry;
    private final ShareBackend backend;
    private final InstalledCollections collections;
    private final TrophyValidator validator;
    private final LogicScriptRunner scripts;
    private final VerdictWriter verdicts;
    private final IssuedAwards awards;
    private final ValidationSettings settings;
    private final ShareSettings shareSettings;
    private final Provider<TrophyInbox> inbox;
    private final MeterRegistry meters;
    private final RetryPolicy notYetPolicy;
    private final RetryPolicy errorPolicy;
    private final RetryPolicy dependencyPolicy;
    private final String node;
    private final Duration lease;
    private final ExecutorService workers;
    private final Semaphore slots;
    private final int slotCount;
    private final ScheduledExecutorService dispatcher;
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Rows this process works on, with their claim tokens. */
    private final java.util.Map<Long, String> claims = new java.util.concurrent.ConcurrentHashMap<>();
    private ScheduledFuture<?> timedWake;
    private volatile boolean running = true;
    /** The per-trophy meters, registered once: a builder and a registry look-up per trophy showed in the profile. */
    private final Counter signedCounter;
    private final Timer latencyTimer;
    private final java.util.Map<ScriptAnswer, Timer> scriptTimers = new java.util.EnumMap<>(ScriptAnswer.class);
    private final java.util.Map<String, Counter> rejectedCounters = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Every accomplishment some installed accomplishment has depended on since this process started, gathered from
     * each catalog it has seen (never shrinks, so a row that waits since an earlier catalog is still woken). A
     * signature of anything else cannot wake a waiting row: its move to SIGNED skips the wake statement. A row put
     * waiting under collections this process never loaded (before a restart that changed them, or by another node
     * with other collections) is then not woken early; its own retry (validator.validation.dependencies) takes it.
     */
    private final java.util.Set<String> dependedOn = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile AccomplishmentCatalog dependenciesOf;

    public ValidationPipeline(TrophyLedger ledger, ShareRegistry registry, ShareBackend backend,
                              InstalledCollections collections, TrophyValidator validator, LogicScriptRunner scripts,
                              VerdictWriter verdicts, IssuedAwards awards, ValidationSettings settings,
                              ShareSettings shareSettings,
                              Provider<TrophyInbox> inbox, MeterRegistry meters) {
        this.ledger = ledger;
        this.registry = registry;
        this.backend = backend;
        this.collections = collections;
        this.validator = validator;
        this.scripts = scripts;
        this.verdicts = verdicts;
        this.awards = awards;
        this.settings = settings;
        this.shareSettings = shareSettings;
        this.inbox = inbox;
        this.meters = meters;
        this.signedCounter = counter("validator.trophies.signed", null);
        this.latencyTimer = Timer.builder("validator.validation.latency")
                .description("From a trophy's discovery to its verdict written into the share").register(meters);
        for (ScriptAnswer answer : ScriptAnswer.values()) {
            scriptTimers.put(answer, Timer.builder("validator.script.duration").description("Logic script run time")
                    .tag("answer", answer.name().toLowerCase()).register(meters));
        }
        this.notYetPolicy = settings.getNotYet().policy();
        this.errorPolicy = settings.getErrors().policy();
        this.dependencyPolicy = settings.getDependencies().policy();
        this.node = nodeName();
        this.lease = settings.getScriptTimeout().plus(Duration.ofMinutes(2));
        int workerCount = settings.effectiveWorkers();
        // Twice the workers: a batch claimed ahead waits in the executor's queue while every worker is busy.
        this.slotCount = 2 * workerCount;
        this.slots = new Semaphore(slotCount);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workerCount, r -> daemon(r, "validation-" + n.incrementAndGet()));
        this.dispatcher = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "validation-dispatch"));
        long renewEvery = Math.max(1, lease.toSeconds() / 4);
        dispatcher.scheduleWithFixedDelay(this::renewLeases, renewEvery, renewEvery, TimeUnit.SECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    /** Asks for a pass over the due work soon; cheap to call often. */
    public void wake() {
        if (running && drainQueued.compareAndSet(false, true)) {
            dispatcher.execute(this::drain);
        }
    }

    /** How many trophies are being worked on right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Nothing is claimed while a disk is nearly full: a verdict or a ledger write could fail half-way. */
    @jakarta.inject.Inject
    org.accomplishments.validator.storage.StorageGuard storage;

    private void drain() {
        drainQueued.set(false);
        try {
            if (storage != null && !storage.allowsWrites()) {
                return; // StorageGuard wakes the pipeline when space returns
            }
            if (collections.notValidatingBecause().isPresent()) {
                // A mistyped collections path: every trophy would be "unknown", and that verdict would land in
                // every user's share. Validate nothing until a reload finds a collection; /health says why.
                return;
            }
            boolean slotsFull = false;
            while (running) {
                // Claims in batches: once half the slots are free (a full batch whenever the workers keep up), take
                // whatever else is free too, claim that many rows in one statement and give the unused slots back.
                // Never waits here: this thread also renews the leases; a worker that frees the half wakes it.
                int wanted = Math.max(1, slotCount / 2);
                if (!slots.tryAcquire(wanted)) {
                    slotsFull = true;
                    break;
                }
                int taken = wanted + slots.drainPermits();
                List<TrophyRow> claimed;
                try {
                    claimed = running && (storage == null || storage.allowsWrites())
                            ? ledger.claimDue(node, lease, taken) : List.of();
                } catch (RuntimeException e) {
                    slots.release(taken);
                    throw e;
                }
                slots.release(taken - claimed.size());
                java.util.Map<String, Optional<Share>> shares = new java.util.concurrent.ConcurrentHashMap<>();
                for (TrophyRow row : claimed) {
                    inFlight.incrementAndGet();
                    claims.put(row.id(), row.leaseOwner());
                    workers.execute(() -> {
                        try {
                            process(row, () -> shares.computeIfAbsent(row.shareId(),
                                    id -> registry.find(id).filter(Share::accepted)));
                        } finally {
                            claims.remove(row.id());
                            inFlight.decrementAndGet();
                            slots.release();
                            if (slots.availablePermits() >= wanted) {
                                wake();
                            }
                        }
                    });
                }
                if (claimed.size() < taken) {
                    break; // nothing more is due now
                }
            }
            if (!slotsFull) {
                // Nothing more is due now: wake for the earliest retry. With every slot taken there is no need to
                // look (one query per pass, and a pass follows nearly every verdict): the worker that frees the
                // half wakes this, and that pass looks if it runs out of due work.
                scheduleNextWake();
            }
        } catch (RuntimeException e) {
            LOG.warn("taking due work from the ledger failed: {}; the timer tries again", e.toString());
        }
    }

    /** Keeps the leases of rows in progress alive, however long a script waits for its turn or runs. */
    private void renewLeases() {
        claims.forEach((id, token) -> {
            try {
                ledger.extendLease(id, token, lease);
            } catch (RuntimeException e) {
                LOG.debug("renewing the lease of trophy {} failed: {}", id, e.toString());
            }
        });
    }

    /** Wakes up for the earliest retry that falls before the next timer tick. */
    private synchronized void scheduleNextWake() {
        Optional<Instant> next = ledger.nextAttemptAt();
        if (next.isEmpty() || !running) {
            return;
        }
        long delay = Math.max(50, Duration.between(ledger.now(), next.get()).toMillis());
        if (delay > settings.getProcessInterval().toMillis()) {
            return;
        }
        if (timedWake != null && timedWake.getDelay(TimeUnit.MILLISECONDS) <= delay && !timedWake.isDone()) {
            return;
        }
        if (timedWake != null) {
            timedWake.cancel(false);
        }
        timedWake = dispatcher.schedule(this::wake, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * A row as its claim read it, with its share as the batch found it (looked up once per batch). No second read: every change is conditional
     * on the claim's token, so a row the scanner closed meanwhile is refused at its first move
     * ({@link TrophyLedger.LeaseLost}). Never throws: a failure is recorded and retried with backoff.
     */
    private void process(TrophyRow row, java.util.function.Supplier<Optional<Share>> shareOfBatch) {
        String token = row.leaseOwner();
        MDC.put("share", row.shareId());
        MDC.put("trophy", Long.toString(row.id()));
        Step step = new Step(token);
        try {
            Optional<Share> share = shareOfBatch.get();
            if (share.isEmpty()) {
                step.move(row.moveTo(TrophyState.VANISHED, row.reason(), row.detail(), null, ledger.now()),
                        "share-not-accepted", "the share is no longer accepted; nothing is written into it");
                return;
            }
            step.run(row, share.get());
        } catch (TrophyLedger.LeaseLost e) {
            LOG.info("{}; leaving it to its current owner", e.getMessage());
        } catch (BlockedReadException e) {
            registry.find(row.shareId()).ifPresent(s -> inbox.get().quarantine(s, e));
            try {
                step.move(row.moveTo(row.trophyState(), row.reason(), row.detail(), ledger.now().plusSeconds(5),
                        ledger.now()), "share-quarantined", e.getMessage());
            } catch (RuntimeException alreadyMoved) {
                LOG.debug("releasing trophy {}: {}", row.id(), alreadyMoved.toString());
            }
        } catch (Exception e) {
            LOG.warn("processing {} failed: {}", row.path(), e.toString(), e);
            step.retryAfterError(row, "internal error: " + e);
        } finally {
            MDC.remove("share");
            MDC.remove("trophy");
        }
    }

    /** The work on one claimed row: every ledger change goes through the claim's token. */
    private final class Step {
        private final String token;

        Step(String token) {
            this.token = token;
        }

        /** The script run not recorded yet: it goes into the transaction of the state change it leads to. */
        private TrophyEventRow attempt;

        TrophyRow move(TrophyRow updated, String kind, String detail) {
            TrophyEventRow run = takeAttempt();
            try {
                return ledger.moveAfter(run, updated, token, kind, detail);
            } catch (TrophyLedger.LeaseLost e) {
                recordAlone(run);
                throw e;
            }
        }

        /** The move to SIGNED, its dependents woken in the same transaction; a pass follows only if any woke. */
        void moveToSigned(TrophyRow updated, String kind, String detail, String accomplishmentId) {
            TrophyEventRow run = takeAttempt();
            if (run != null) {
                ledger.record(run); // not reached from a script run (SIGNING comes first); kept for safety
            }
            if (ledger.moveToSigned(updated, token, kind, detail, accomplishmentId, mayBeWaitedFor(accomplishmentId))
                    > 0) {
                wake();
            }
        }

        private TrophyEventRow takeAttempt() {
            TrophyEventRow run = attempt;
            attempt = null;
            return run;
        }

        private void recordAlone(TrophyEventRow run) {
            if (run != null) {
                try {
                    ledger.record(run);
                } catch (RuntimeException e) {
                    LOG.debug("recording the script run of a row that changed meanwhile failed: {}", e.toString());
                }
            }
        }

        void run(TrophyRow row, Share share) throws IOException {
            ShareFolder folder = backend.folder(share);
            ShareFolder.ReadResult read = folder.read(row.path(), shareSettings.getMaxTrophyBytes());
            if (read instanceof ShareFolder.ReadResult.Missing) {
                // Gone, or only moved for a moment: the share's scan decides, not this worker.
                inbox.get().forget(share.id());
                inbox.get().scan(share);
                move(row.moveTo(row.trophyState(), row.reason(), row.detail(), ledger.now().plusSeconds(5), ledger.now()),
                        "missing", "the file was not there when read; the share is rescanned");
                return;
            }
            if (read instanceof ShareFolder.ReadResult.NotRegular notRegular) {
                reject(row, folder, pathId(row), RejectionReason.NOT_A_REGULAR_FILE, row.path() + " is a "
                        + describe(notRegular.kind()) + ", not a regular file; it was not read");
                return;
            }
            if (read instanceof ShareFolder.ReadResult.TooLarge tooLarge) {
                reject(row, folder, pathId(row), RejectionReason.TOO_LARGE, row.path() + " is larger than "
                        + tooLarge.limit() + " bytes (validator.shares.max-trophy-bytes); it was not read");
                return;
            }
            byte[] bytes = ((ShareFolder.ReadResult.Content) read).bytes();
            if (!TrophyRejection.sha256Hex(bytes).equals(row.sha256())) {
                // Changed since it was queued: the share's scan supersedes this row with the new content.
                inbox.get().forget(share.id());
                inbox.get().scan(share);
                move(row.moveTo(row.trophyState(), row.reason(), row.detail(), ledger.now().plusSeconds(5),
                        ledger.now()), "changed", "the file changed while queued; the share is rescanned");
                return;
            }
            if (row.trophyState() == TrophyState.REJECTING) {
                RejectionReason reason = RejectionReason.fromWireName(row.reason()).orElse(RejectionReason.MALFORMED);
                reject(row, folder, row.accomplishmentId() != null ? row.accomplishmentId() : pathId(row), reason,
                        row.detail());
                return;
            }
            Optional<Trophy> signedBefore = recognise(row, share, folder, bytes);
            if (TrophyLedger.REVALIDATE.equals(row.reason()) && signedBefore.isPresent()
                    && !humanIssued(signedBefore.get())) {
                // Revalidation reruns every check; a human-issued trophy has no check but its signature, which
                // only a revocation (the published list) takes back, never a rejection that deletes it.
                signedBefore = Optional.empty();
            }
            if (signedBefore.isPresent()) {
                moveToSigned(row.withAccomplishment(signedBefore.get().id().toString())
                                .moveTo(TrophyState.SIGNED, null, "an existing .trophy.asc already verifies for this "
                                        + "content and share", null, ledger.now()),
                        "recognised", "existing signature verified; not signed again",
                        signedBefore.get().id().toString());
                return;
            }
            Optional<IssuedAwards.Standing> award = TrophyParser.parse(bytes) instanceof TrophyParser.Parsed p
                    && humanIssued(p.trophy()) ? awards.standing(share.id(), row.path(), row.sha256()) : Optional.empty();
            if (award.isPresent() && TrophyParser.parse(bytes) instanceof TrophyParser.Parsed issued) {
                // A person awarded exactly this content and nobody revoked it: its signature is written again like
                // any other, with the award's own time, so the signed text (and its revocation digest) stays the same.
                resign(row, share, folder, issued.trophy(), award.get());
                return;
            }
            AccomplishmentCatalog catalog = collections.catalog();
            TrophyValidator.Check check = validator.check(share, folder, row.path(), bytes, catalog);
            if (row.trophyState() == TrophyState.SIGNING && check instanceof TrophyValidator.Check.RunScript run) {
                sign(row, share, folder, run.trophy()); // resuming a write interrupted after the verdict
                return;
            }
            if (check instanceof TrophyValidator.Check.Ignore ignore) {
                move(row.withAccomplishment(ignore.accomplishmentId())
                        .moveTo(TrophyState.IGNORED, null, ignore.detail(), null, ledger.now()), "ignored", ignore.detail());
            } else if (check instanceof TrophyValidator.Check.Reject reject) {
                reject(row.withAccomplishment(reject.accomplishmentId()), folder, reject.accomplishmentId(),
                        reject.reason(), reject.detail());
                if (TrophyRevalidation.CONFIGURATION_DEPENDENT.contains(reject.reason())
                        && collections.catalog() != catalog) {
                    // The collections were reloaded while this verdict was made from the old ones; the reload's
                    // re-validation may have looked before this row was rejected, so look again.
                    ledger.requeue(row.id(), "the collections were reloaded while this trophy was checked");
                    wake();
                }
            } else if (check instanceof TrophyValidator.Check.AwaitDependencies await) {
                awaitDependencies(row.withAccomplishment(await.accomplishmentId()), folder, await);
            } else if (check instanceof TrophyValidator.Check.RunScript run) {
                runScript(row.withAccomplishment(run.trophy().id().toString()), share, folder, run);
            }
        }

        private void runScript(TrophyRow row, Share share, ShareFolder folder, TrophyValidator.Check.RunScript run)
                throws IOException {
            Trophy trophy = run.trophy();
            ScriptInvocation invocation = new ScriptInvocation(run.script(), folder.root().resolve(row.path()),
                    trophy.id().toString(), share.id(), share.owner(), informationFor(trophy, run));
            ScriptRun result = scripts.run(invocation);
            if (result.outcome() instanceof ScriptOutcome.Cancelled cancelled) {
                // Shutting down: not the script's fault, so not counted against it.
                move(row.moveTo(row.trophyState(), row.reason(), row.detail(), ledger.now().plusSeconds(5),
                        ledger.now()), "interrupted", "the run was cancelled: " + cancelled.reason());
                return;
            }
            ScriptAnswer answer = result.answer();
            Integer exitCode = result.outcome() instanceof ScriptOutcome.Exited exited ? exited.code() : null;
            attempt = ledger.attemptOf(row, run.script() + ": " + result.describe(), exitCode,
                    result.elapsed().toMillis(), result.stdout(), result.stderr());
            scriptTimers.get(answer).record(result.elapsed());
            TrophyRow attempted = row.withCounts(row.attempts() + 1, row.notYetCount(), row.errorCount(),
                    row.dependencyWaits());
            switch (answer) {
                case ACCOMPLISHED -> sign(attempted, share, folder, trophy);
                case MISSING_INFORMATION -> reject(attempted, folder, trophy.id().toString(),
                        RejectionReason.MISSING_INFORMATION, "the logic script exited 4: information it needs is missing");
                case NOT_ACCOMPLISHED -> {
                    int notYet = attempted.notYetCount() + 1;
                    TrophyRow counted = attempted.withCounts(attempted.attempts(), notYet, attempted.errorCount(),
                            attempted.dependencyWaits());
                    Optional<Duration> delay = notYetPolicy.delayAfter(notYet);
                    if (delay.isEmpty()) {
                        reject(counted, folder, trophy.id().toString(), RejectionReason.NOT_ACCOMPLISHED,
                                "the logic script answered \"not accomplished\" " + notYet + " times since "
                                        + counted.firstSeenAt());
                    } else {
                        waitFor(counted, "not-accomplished", "the logic script answered \"not accomplished\" ("
                                + notYet + " of " + notYetPolicy.maxAttempts() + "); trying again later", delay.get());
                    }
                }
                case ERROR -> retryAfterError(attempted, "the logic script failed: " + result.describe());
            }
        }

        private static java.util.Map<String, String> informationFor(Trophy trophy, TrophyValidator.Check.RunScript run) {
            java.util.Map<String, String> info = new java.util.LinkedHashMap<>();
            for (String item : run.accomplishment().needsInformation()) {
                String value = trophy.information().get(item);
                if (value != null) {
                    info.put(item, value.strip());
                }
            }
            return info;
        }

        private void awaitDependencies(TrophyRow row, ShareFolder folder, TrophyValidator.Check.AwaitDependencies await)
                throws IOException {
            int waits = row.dependencyWaits() + 1;
            TrophyRow counted = row.withCounts(row.attempts(), row.notYetCount(), row.errorCount(), waits);
            Optional<Duration> delay = dependencyPolicy.delayAfter(waits);
            String unsigned = String.join(", ", await.unsigned());
            if (delay.isEmpty()) {
                reject(counted, folder, await.accomplishmentId(), RejectionReason.DEPENDENCIES_UNMET,
                        "still not signed for this share after " + waits + " checks: " + unsigned);
            } else {
                waitFor(counted.withWaitingFor("," + String.join(",", await.unsigned()) + ","),
                        RejectionReason.DEPENDENCIES_UNMET.wireName(), "waiting for " + unsigned
                                + " to be signed for this share", delay.get());
                // A dependency signed while we checked woke nobody (we were not WAITING yet): look once more.
                for (String dependency : await.unsigned()) {
                    if (ledger.isSigned(row.shareId(), dependency)) {
                        ledger.wakeDependents(row.shareId(), dependency);
                        wake();
                    }
                }
            }
        }

        private void retryAfterError(TrophyRow row, String detail) {
            try {
                int errors = row.errorCount() + 1;
                TrophyRow counted = row.withCounts(row.attempts(), row.notYetCount(), errors, row.dependencyWaits());
                Optional<Duration> delay = errorPolicy.delayAfter(errors);
                if (delay.isEmpty()) {
                    Share share = registry.find(row.shareId()).orElseThrow();
                    reject(counted, backend.folder(share), row.accomplishmentId() != null ? row.accomplishmentId()
                            : pathId(row), RejectionReason.SCRIPT_ERROR, "gave up after " + errors + " errors; last: "
                            + detail);
                } else {
                    waitFor(counted, "error", detail + " (" + errors + " of " + errorPolicy.maxAttempts()
                            + "); trying again later", delay.get());
                }
            } catch (Exception e) {
                LOG.error("could not record the failure of trophy {}: {}; its lease expires and it is retried",
                        row.id(), e.toString());
            }
        }

        private void waitFor(TrophyRow row, String reason, String detail, Duration delay) {
            Instant next = ledger.now().plus(delay);
            move(row.moveTo(TrophyState.WAITING, reason, detail, next, ledger.now()), "waiting",
                    detail + "; next attempt at " + next);
            meters.counter("validator.trophies.waiting.transitions").increment();
        }

        private void sign(TrophyRow row, Share share, ShareFolder folder, Trophy trophy) throws IOException {
            Instant now = ledger.now();
            TrophyRow signing = row.trophyState() == TrophyState.SIGNING ? row
                    : move(row.moveTo(TrophyState.SIGNING, null, null, now.plus(lease), now), "accomplished",
                    "the logic script answered accomplished; signing");
            VerdictWriter.Signature signed = verdicts.sign(share, trophy, now);
            verdicts.writeSigned(folder, row.path(), signed);
            moveToSigned(signing.withSignedBy(signed.fingerprint()).moveTo(TrophyState.SIGNED, null,
                    "signed by " + signed.fingerprint(), null, ledger.now()), "signed", row.path() + ".asc written",
                    trophy.id().toString());
            signedCounter.increment();
            recordLatency(row);
            // DEBUG, not INFO: a line per signature was a few per cent of the service's CPU at a backlog (and
            // journald's on top); the ledger's history and the trophies page record every verdict.
            LOG.debug("signed {} for {}", row.path(), share.owner());
        }

        /** An issued trophy whose signature is missing (or must be checked again): signed again, never rejected. */
        private void resign(TrophyRow row, Share share, ShareFolder folder, Trophy trophy, IssuedAwards.Standing award)
                throws IOException {
            Instant now = ledger.now();
            TrophyRow signing = row.trophyState() == TrophyState.SIGNING ? row
                    : move(row.withAccomplishment(trophy.id().toString()).moveTo(TrophyState.SIGNING, null, null,
                    now.plus(lease), now), "issued", "issued #" + award.id() + " stands; writing its signature");
            VerdictWriter.Signature signed = verdicts.sign(share, trophy, award.issuedAt());
            verdicts.writeSigned(folder, row.path(), signed);
            awards.signedAgain(award.id(), signed.signedTextSha256(), signed.fingerprint(), ledger.now());
            moveToSigned(signing.withAccomplishment(trophy.id().toString()).withSignedBy(signed.fingerprint())
                            .moveTo(TrophyState.SIGNED, null, "issued #" + award.id() + "; signed by "
                                    + signed.fingerprint(), null, ledger.now()),
                    "signed", row.path() + ".asc written again for issued #" + award.id(), trophy.id().toString());
            signedCounter.increment();
            LOG.info("signed issued {} for {} again", row.path(), share.owner());
        }

        private void reject(TrophyRow row, ShareFolder folder, String id, RejectionReason reason, String detail)
                throws IOException {
            Instant now = ledger.now();
            TrophyRow rejecting = row.trophyState() == TrophyState.REJECTING ? row
                    : move(row.moveTo(TrophyState.REJECTING, reason.wireName(), detail, now.plus(lease), now),
                    "refused", reason.wireName() + ": " + detail);
            verdicts.writeRejected(folder, row.path(), new TrophyRejection(id, reason, detail, now, row.sha256()));
            move(rejecting.moveTo(TrophyState.REJECTED, reason.wireName(), detail, null, ledger.now()),
                    "rejected", row.path() + ".rejected written");
            rejectedCounters.computeIfAbsent(reason.wireName(), r -> counter("validator.trophies.rejected", r))
                    .increment();
            recordLatency(row);
            LOG.info("rejected {}: {}: {}", row.path(), reason.wireName(), detail);
        }

        /** An existing .asc by one of our keys over exactly this [trophy] section, bound to this share. */
        private Optional<Trophy> recognise(TrophyRow row, Share share, ShareFolder folder, byte[] bytes) throws IOException {
            Optional<String> text = verdicts.ownSignedText(folder, row.path() + ".asc");
            if (text.isEmpty()) {
                return Optional.empty();
            }
            ParseResult<SignedTrophy> signed = SignedTrophyText.parse(text.get());
            if (!(TrophyParser.parse(bytes) instanceof TrophyParser.Parsed parsed) || !signed.isParsed()) {
                return Optional.empty();
            }
            SignedTrophy s = signed.orElseThrow();
            boolean sameShare = s.binding().map(b -> b.shareId().equals(share.id())).orElse(false);
            boolean sameTrophy = s.trophySection().equals(parsed.trophy().trophySection());
            return sameShare && sameTrophy ? Optional.of(parsed.trophy()) : Optional.empty();
        }
    }

    /** Whether a row may wait for {@code accomplishmentId} to be signed (see {@link #dependedOn}). */
    private boolean mayBeWaitedFor(String accomplishmentId) {
        AccomplishmentCatalog catalog = collections.catalog();
        if (catalog != dependenciesOf) {
            synchronized (dependedOn) {
                if (catalog != dependenciesOf) {
                    for (org.accomplishments.validator.trophy.Accomplishment a : catalog.accomplishments()) {
                        a.depends().forEach(d -> dependedOn.add(d.toString()));
                    }
                    dependenciesOf = catalog;
                }
            }
        }
        return dependedOn.contains(accomplishmentId);
    }

    private boolean humanIssued(Trophy trophy) {
        return collections.catalog().find(trophy.id()).map(a -> a.humanIssued()).orElse(false);
    }

    private void recordLatency(TrophyRow row) {
        latencyTimer.record(Duration.between(row.firstSeenAt(), ledger.now()));
    }

    private Counter counter(String name, String reason) {
        Counter.Builder builder = Counter.builder(name);
        if (reason != null) {
            builder.tag("reason", reason);
        }
        return builder.register(meters);
    }

    private static String pathId(TrophyRow row) {
        return TrophyValidator.idFromPath(row.path());
    }

    private static String describe(ShareFolder.Kind kind) {
        return switch (kind) {
            case SYMLINK -> "symbolic link";
            case DIRECTORY -> "directory";
            case OTHER -> "FIFO, socket or device";
            case REGULAR -> "regular file";
        };
    }

    @Override
    public void close() {
        running = false;
        dispatcher.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
