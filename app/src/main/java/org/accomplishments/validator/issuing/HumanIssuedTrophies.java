package org.accomplishments.validator.issuing;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.accomplishments.validator.audit.AuditLog;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.collection.AccomplishmentCatalog;
import org.accomplishments.validator.collection.InstalledCollections;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareFolder;
import org.accomplishments.validator.share.ShareRegistry;
import org.accomplishments.validator.overview.ShareOverview;
import org.accomplishments.validator.share.ShareRow;
import org.accomplishments.validator.trophy.Accomplishment;
import org.accomplishments.validator.trophy.AccomplishmentId;
import org.accomplishments.validator.trophy.OneLine;
import org.accomplishments.validator.trophy.Trophy;
import org.accomplishments.validator.trophy.TrophyParser;
import org.accomplishments.validator.trophy.TrophyRejection;
import org.accomplishments.validator.validation.VerdictWriter;
import org.accomplishments.validator.validation.TrophyLedger;
import org.accomplishments.validator.validation.ValidationPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Awarding human-issued accomplishments (the seed's "Human Issued Workflow"): a person with the right picks a share
 * and an accomplishment marked {@code human-issued = true}; the appliance writes the {@code .trophy} and its
 * {@code .trophy.asc}, signed by the same key with the same {@code [validation]} binding as a validated one.
 *
 * <p>Order of writes, so no crash or scan in between can lose or contradict anything: the intent is recorded
 * (WRITING), then the {@code .asc}, then the {@code .trophy} (so the scanner, when it sees the trophy, finds a
 * signature that verifies and records it as signed, never rejects it), then the row becomes ISSUED and the
 * ledger learns of the trophy. The scope check happens here, not only in the page, so no caller can skip it.
 */
@Singleton
public class HumanIssuedTrophies {
    private static final Logger LOG = LoggerFactory.getLogger(HumanIssuedTrophies.class);
    public static final int MAX_NOTE = 500;
    public static final int MAX_EVIDENCE = 500;
    /** Larger than any trophy this class composes (a note and a link of 500 characters each). */
    private static final long MAX_WRITTEN_TROPHY = 16 * 1024;
    private static final DateTimeFormatter ACCOMPLISHED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    private final InstalledCollections collections;
    private final ShareRegistry registry;
    private final ShareBackend backend;
    private final ShareOverview directory;
    private final IssuedTrophyRepository issued;
    private final VerdictWriter verdicts;
    private final CommitFlush commits;
    private final RevocationSerial serial;
    private final TrophyLedger ledger;
    private final ValidationPipeline pipeline;
    private final AuditLog audit;
    private final Clock clock;
    private final AtomicReference<Runnable> onRevocation = new AtomicReference<>(() -> { });

    public HumanIssuedTrophies(InstalledCollections collections, ShareRegistry registry, ShareBackend backend,
                               ShareOverview directory, IssuedTrophyRepository issued, VerdictWriter verdicts,
                               CommitFlush commits, RevocationSerial serial, TrophyLedger ledger,
                               ValidationPipeline pipeline, AuditLog audit,
                               Clock clock) {
        this.collections = collections;
        this.registry = registry;
        this.backend = backend;
        this.directory = directory;
        this.issued = issued;
        this.verdicts = verdicts;
        this.commits = commits;
        this.serial = serial;
        this.ledger = ledger;
        this.pipeline = pipeline;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A checked request, ready to be confirmed: what would be written where. {@code replacing}: the bytes of the
     * {@code .trophy} the server wrote for a revoked award of it, which this award replaces (null: a new file).
     */
    public record Draft(Share share, Accomplishment accomplishment, String note, String evidence, String path,
                        String trophyText, byte[] replacing, Long replacesAward) {
        public Draft(Share share, Accomplishment accomplishment, String note, String evidence, String path,
                     String trophyText) {
            this(share, accomplishment, note, evidence, path, trophyText, null, null);
        }

        public boolean reissue() {
            return replacing != null;
        }
    }

    public sealed interface Check {
        record Ready(Draft draft) implements Check {
        }

        /** {@code conflict}: the award exists already (stands, or its file is in the share). */
        record Refused(String reason, boolean conflict) implements Check {
            public Refused(String reason) {
                this(reason, false);
            }
        }
    }

    /** Human-issued global accomplishments this person may award, ordered by id. */
    public List<Accomplishment> awardable(Principal who) {
        return collections.catalog().accomplishments().stream()
                .filter(a -> a.humanIssued() && a.needsSigning() && who.mayAward(a.id().toString()))
                .sorted(Comparator.comparing(a -> a.id().toString())).toList();
    }

    /** Accepted shares matching the text in owner, visible name, share name or id. */
    public List<ShareRow> searchShares(String text, int limit) {
        String clean = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        String pattern = "%" + clean.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return directory.search(pattern, Math.max(1, Math.min(limit, 200)));
    }

    public Check prepare(Principal who, String shareId, String accomplishmentId, String note, String evidence) {
        return prepare(who, shareId == null ? null : registry.find(shareId).orElse(null), accomplishmentId, note,
                evidence, collections.catalog());
    }

    Check prepare(Principal who, Share share, String accomplishmentId, String note, String evidence,
                  AccomplishmentCatalog catalog) {
        if (!who.mayIssue()) {
            return new Check.Refused("you may not issue trophies");
        }
        Optional<AccomplishmentId> id = accomplishmentId == null ? Optional.empty()
                : AccomplishmentId.parse(accomplishmentId.strip()).asOptional();
        if (id.isEmpty()) {
            return new Check.Refused("not an accomplishment id: " + OneLine.of(String.valueOf(accomplishmentId), 80));
        }
        // Scope first, with the same answer whether or not it exists: ids outside the scope reveal nothing.
        if (!who.mayAward(id.get().toString())) {
            return new Check.Refused("you may not award " + id.get() + " (outside your scope)");
        }
        Optional<Accomplishment> accomplishment = catalog.find(id.get());
        if (accomplishment.isEmpty()) {
            return new Check.Refused("no installed collection defines " + id.get());
        }
        if (!accomplishment.get().humanIssued() || !accomplishment.get().needsSigning()) {
            return new Check.Refused(id.get() + " is not a human-issued global accomplishment; its trophies are "
                    + "validated from the user's share");
        }
        if (share == null || !share.accepted()) {
            return new Check.Refused("no accepted share with that id");
        }
        String cleanNote = OneLine.of(note == null ? "" : note, MAX_NOTE);
        String cleanEvidence = evidence == null ? "" : evidence.strip();
        if (!cleanEvidence.isEmpty()) {
            Optional<String> problem = checkEvidence(cleanEvidence);
            if (problem.isPresent()) {
                return new Check.Refused(problem.get());
            }
        }
        String path = id.get().collection() + "/" + id.get().name() + ".trophy";
        if (!issued.findStanding(share.id(), id.get().toString()).isEmpty()) {
            return new Check.Refused(share.owner() + " already has " + id.get() + " (issued, not revoked)", true);
        }
        byte[] replacing = null;
        Long replacesAward = null;
        try {
            ShareFolder folder = backend.folder(share);
            if (folder.exists(path)) {
                // Only the trophy this server wrote for a revoked award, unchanged, is replaced by a new award:
                // anything else at that name is the user's (formats.md: never rewrite what the user wrote).
                ShareFolder.ReadResult read = folder.read(path, MAX_WRITTEN_TROPHY);
                Optional<IssuedTrophyRow> revoked = read instanceof ShareFolder.ReadResult.Content content
                        ? issued.findRevokedContent(share.id(), path, TrophyRejection.sha256Hex(content.bytes()))
                            .stream().findFirst()
                        : Optional.empty();
                if (revoked.isEmpty()) {
                    return new Check.Refused("the share already holds " + path + "; nothing is replaced", true);
                }
                replacing = ((ShareFolder.ReadResult.Content) read).bytes();
                replacesAward = revoked.get().id();
            }
        } catch (IOException e) {
            return new Check.Refused("the share cannot be read: " + e.getMessage());
        }
        String text = trophyText(id.get(), who.name(), cleanNote, cleanEvidence, clock.instant());
        return new Check.Ready(new Draft(share, accomplishment.get(), cleanNote, cleanEvidence, path, text,
                replacing, replacesAward));
    }

    /** Checks again (nothing may have changed since the preview) and writes. */
    public IssueOutcome issue(Principal who, String shareId, String accomplishmentId, String note, String evidence,
                              String remote) {
        Check check = prepare(who, shareId, accomplishmentId, note, evidence);
        if (check instanceof Check.Refused refused) {
            audit.record(who.name(), "issue-refused", shareId + " " + accomplishmentId, refused.reason(), remote);
            return new IssueOutcome.Refused(refused.reason(), refused.conflict());
        }
        return write(who, ((Check.Ready) check).draft(), remote, true, null, null);
    }

    /**
     * Records the intent, makes it durable, writes the files, then records the award as issued. The intent's insert
     * is what decides between simultaneous requests for one award: the database lets one award stand per share and
     * accomplishment, so every other request is refused there (a conflict), before it has touched a file.
     */
    IssueOutcome write(Principal who, Draft draft, String remote, boolean auditEach, String bulkJobId, Long bulkLine) {
        Award award = compose(who, draft, bulkJobId, bulkLine);
        IssuedTrophyRow row;
        try {
            row = issued.save(award.intent());
        } catch (RuntimeException e) {
            if (!CommitFlush.isUniqueViolation(e)) {
                throw e;
            }
            return refusedAsTaken(who, draft, remote, auditEach);
        }
        try {
            commits.flush(); // the intent survives a kill from here on: a restart finds it and checks the files
            VerdictWriter.Signature signed = writeFiles(award);
            issued.finish(row.id(), IssuedTrophyRow.State.ISSUED.name(), null, signed.signedTextSha256(),
                    signed.fingerprint());
            recordInLedger(who, draft, row.id(), award.sha256(), award.bytes().length, signed.fingerprint());
            wakeDependents(draft);
            pipeline.wake();
            issuedNow(who, draft, remote, auditEach);
            return new IssueOutcome.Issued(issued.findById(row.id()).orElseThrow());
        } catch (IOException | RuntimeException e) {
            return failed(who, draft, row, e, remote);
        }
    }

    /**
     * {@link #write} for many awards at once (a bulk job's page), with the same order of writes and the same crash
     * guarantees, but each durability point shared by the whole batch: the intents inserted in one transaction and
     * made durable by one checkpoint, the files of every award signed and written in parallel on {@code workers}
     * (ext4 commits their fsyncs together), then each outcome recorded as {@link #write} records it. A kill anywhere
     * leaves intents that {@link AwardRecovery} settles from the disk, as after a kill inside {@link #write}. When
     * the batch's insert meets an award that stands already, its awards go the one-by-one way, which gives each its
     * own outcome. Returns the outcomes in the order given.
     */
    List<IssueOutcome> writeAll(Principal who, List<BatchAward> batch, String remote, ExecutorService workers) {
        List<Award> awards = new ArrayList<>(batch.size());
        for (BatchAward b : batch) {
            awards.add(compose(who, b.draft(), b.bulkJobId(), b.bulkLine()));
        }
        List<IssuedTrophyRow> rows;
        try {
            rows = saveIntents(awards.stream().map(Award::intent).toList());
        } catch (RuntimeException e) {
            if (!CommitFlush.isUniqueViolation(e)) {
                throw e;
            }
            return batch.stream().map(b -> write(who, b.draft(), remote, true, b.bulkJobId(), b.bulkLine())).toList();
        }
        RuntimeException stopped = null;
        try {
            commits.flush(); // every intent survives a kill from here on
        } catch (RuntimeException e) {
            stopped = e;
        }
        List<Future<VerdictWriter.Signature>> files = new ArrayList<>(awards.size());
        for (Award award : awards) {
            if (stopped == null) {
                try {
                    files.add(workers.submit(() -> writeFiles(award)));
                } catch (RuntimeException e) {
                    stopped = e; // the workers are shut down: the awards not started fail, the others are awaited
                }
            }
        }
        List<Object> written = new ArrayList<>(awards.size()); // a Signature, or the exception that stopped it
        for (int i = 0; i < awards.size(); i++) {
            written.add(i < files.size() ? outcomeOf(files.get(i)) : stopped);
        }
        // Each outcome in transactions of its own, as write() records one: recording the page's 200 ledger rows in
        // one transaction is the shape after which a kill -9 once left an H2 index inconsistent with its table
        // (docs/benchmarks.md, "Found at the merge"). The shared durability points above are where the time went.
        List<IssueOutcome> outcomes = new ArrayList<>(awards.size());
        for (int i = 0; i < awards.size(); i++) {
            IssueOutcome outcome = null;
            if (written.get(i) instanceof VerdictWriter.Signature signed) {
                try {
                    outcome = finishOne(who, awards.get(i), rows.get(i), signed);
                } catch (RuntimeException one) {
                    written.set(i, one);
                }
            }
            outcomes.add(outcome);
        }
        List<Draft> issuedDrafts = new ArrayList<>(awards.size());
        for (int i = 0; i < awards.size(); i++) {
            if (outcomes.get(i) == null) {
                outcomes.set(i, failed(who, awards.get(i).draft(), rows.get(i), (Exception) written.get(i), remote));
            } else {
                issuedDrafts.add(awards.get(i).draft());
            }
        }
        issuedAll(who, issuedDrafts, remote);
        pipeline.wake();
        return outcomes;
    }

    /** The dependents woken and the audit records of a batch's issued awards, in one transaction. */
    @Transactional
    public void issuedAll(Principal who, List<Draft> drafts, String remote) {
        for (Draft draft : drafts) {
            wakeDependents(draft);
            issuedNow(who, draft, remote, true);
        }
    }

    /** One award of a batch: its checked draft and the bulk row it comes from. */
    record BatchAward(Draft draft, String bulkJobId, Long bulkLine) {
    }

    /** An award composed and ready to be recorded: the trophy's bytes and text, and its intent (WRITING) row. */
    record Award(Draft draft, byte[] bytes, Trophy trophy, String sha256, Instant at, IssuedTrophyRow intent) {
    }

    private Award compose(Principal who, Draft draft, String bulkJobId, Long bulkLine) {
        Share share = draft.share();
        byte[] bytes = draft.trophyText().getBytes(StandardCharsets.UTF_8);
        if (!(TrophyParser.parse(bytes) instanceof TrophyParser.Parsed parsed)) {
            throw new IllegalStateException("composed an unparsable trophy: " + draft.trophyText());
        }
        String sha256 = TrophyRejection.sha256Hex(bytes);
        Instant now = clock.instant();
        return new Award(draft, bytes, parsed.trophy(), sha256, now, new IssuedTrophyRow(null, share.id(),
                share.owner(), draft.accomplishment().id().toString(), draft.path(), sha256, null, null, who.name(),
                emptyToNull(draft.note()), emptyToNull(draft.evidence()), IssuedTrophyRow.State.WRITING.name(), null,
                now, null, null, null, Boolean.TRUE, bulkJobId, bulkLine));
    }

    /** The intents of a batch, all or none (JDBC batch inserts). */
    @Transactional
    public List<IssuedTrophyRow> saveIntents(List<IssuedTrophyRow> intents) {
        List<IssuedTrophyRow> saved = new ArrayList<>(intents.size());
        issued.saveAll(intents).forEach(saved::add);
        return saved;
    }

    /** The signature and both files of one award, in the order the class comment gives. */
    private VerdictWriter.Signature writeFiles(Award award) throws IOException {
        Draft draft = award.draft();
        CollectionFolder.ensureFolder(draft.share().folder(), draft.accomplishment().id().collection());
        VerdictWriter.Signature signed = verdicts.sign(draft.share(), award.trophy(), award.at());
        if (draft.reissue()) {
            verdicts.rewriteAward(backend.folder(draft.share()), draft.path(), draft.replacing(), award.bytes(), signed);
        } else {
            verdicts.writeAward(backend.folder(draft.share()), draft.path(), award.bytes(), signed);
        }
        return signed;
    }

    private static Object outcomeOf(Future<VerdictWriter.Signature> file) {
        try {
            return file.get();
        } catch (ExecutionException e) {
            return e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new IllegalStateException("interrupted while writing", e);
        }
    }

    /** One award of a batch recorded on its own, the way {@link #write} does. */
    private IssueOutcome finishOne(Principal who, Award award, IssuedTrophyRow row, VerdictWriter.Signature signed) {
        issued.finish(row.id(), IssuedTrophyRow.State.ISSUED.name(), null, signed.signedTextSha256(),
                signed.fingerprint());
        recordInLedger(who, award.draft(), row.id(), award.sha256(), award.bytes().length, signed.fingerprint());
        return new IssueOutcome.Issued(issued.findById(row.id()).orElseThrow());
    }

    private IssueOutcome refusedAsTaken(Principal who, Draft draft, String remote, boolean auditEach) {
        String reason = draft.share().owner() + " already has " + draft.accomplishment().id() + ": another award of "
                + "it is being written or stands (issued, not revoked); nothing was written";
        if (auditEach) {
            audit.record(who.name(), "issue-refused", draft.share().id() + " " + draft.accomplishment().id(), reason,
                    remote);
        }
        return new IssueOutcome.Refused(reason, true);
    }

    private void issuedNow(Principal who, Draft draft, String remote, boolean auditEach) {
        Share share = draft.share();
        AccomplishmentId id = draft.accomplishment().id();
        if (auditEach) {
            audit.record(who.name(), "issued", share.id() + " " + id,
                    "to " + share.owner() + (draft.reissue() ? "; again after the revoked #" + draft.replacesAward()
                            : "") + (draft.note().isEmpty() ? "" : "; note: " + draft.note()), remote);
        }
        LOG.info("issued {} to {} (share {}) by {}", id, share.owner(), share.id(), who.name());
    }

    private IssueOutcome failed(Principal who, Draft draft, IssuedTrophyRow row, Exception e, String remote) {
        Share share = draft.share();
        AccomplishmentId id = draft.accomplishment().id();
        String detail = e instanceof java.nio.file.FileAlreadyExistsException
                ? "the share already holds " + draft.path() + "; nothing was replaced" : e.toString();
        issued.finish(row.id(), IssuedTrophyRow.State.FAILED.name(), OneLine.of(detail, 2000), null, null);
        audit.record(who.name(), "issue-failed", share.id() + " " + id, detail, remote);
        LOG.warn("issuing {} to share {} failed: {}", id, share.id(), detail);
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return new IssueOutcome.Refused(detail, true); // the user's own file came first: a conflict, kept
        }
        return new IssueOutcome.Failed(detail);
    }

    /**
     * Tells the ledger the trophy is signed. The award stands already: when the scanner recorded the content first
     * (it saw the files a moment ago), its row stays and the pipeline recognises the signature, so losing that race
     * is no failure of the award.
     */
    private void recordInLedger(Principal who, Draft draft, long issuedId, String sha256, long size, String key) {
        try {
            ledger.recordIssued(draft.share().id(), draft.path(), sha256, size, draft.accomplishment().id().toString(),
                    key, issuedDetail(who, draft, issuedId));
        } catch (RuntimeException e) {
            if (!CommitFlush.isUniqueViolation(e)) {
                LOG.warn("issued #{}: recording it in the ledger failed ({}); the rescan records it", issuedId,
                        e.toString());
            }
        }
    }

    private static String issuedDetail(Principal who, Draft draft, long issuedId) {
        return "issued by " + who.name() + " (issued #" + issuedId + ")"
                + (draft.note().isEmpty() ? "" : "; note: " + draft.note());
    }

    /** Trophies of this share that depend on this one are due now (the caller wakes the pipeline). */
    private void wakeDependents(Draft draft) {
        ledger.wakeDependents(draft.share().id(), draft.accomplishment().id().toString());
    }

    /** Revokes an issued trophy (admins: any; issuers: within their scope). The reason when refused. */
    public Optional<String> revoke(Principal who, long issuedId, String reason, String remote) {
        Optional<IssuedTrophyRow> row = issued.findById(issuedId);
        if (row.isEmpty() || !who.mayAward(row.get().accomplishmentId())) {
            audit.record(who.name(), "revoke-refused", "issued " + issuedId, "not found or outside the scope", remote);
            return Optional.of("no issued trophy " + issuedId + " that you may revoke");
        }
        String clean = OneLine.of(reason == null ? "" : reason, 1000);
        if (clean.isEmpty()) {
            return Optional.of("say why it is revoked");
        }
        if (!serial.revoke(issuedId, who.name(), clean)) {
            return Optional.of("trophy " + issuedId + " is revoked already or was never completely issued");
        }
        commits.flush(); // a published list names it from now on, so no crash may take the revocation back
        IssuedTrophyRow award = row.get();
        ledger.revoked(award.shareId(), award.path(), award.trophySha256(), "award #" + issuedId + " revoked by "
                + who.name() + "; its signature is in the revocation list and is not written again");
        audit.record(who.name(), "revoked", row.get().shareId() + " " + row.get().accomplishmentId(),
                "issued #" + issuedId + " to " + row.get().owner() + "; reason: " + clean, remote);
        onRevocation.get().run();
        return Optional.empty();
    }

    /** Lets the revocation list know it must be signed again. */
    void onRevocation(Runnable listener) {
        onRevocation.set(listener);
    }

    /** The latest revocations, newest first (the dashboard). */
    public List<IssuedTrophyRow> recentRevocations(int limit) {
        return issued.recentRevocations(limit);
    }

    public Optional<IssuedTrophyRow> find(long id) {
        return issued.findById(id);
    }

    public List<IssuedTrophyRow> page(Long beforeId, int limit) {
        return issued.page(beforeId == null ? Long.MAX_VALUE : beforeId, limit);
    }

    /** The issuance records of one trophy path of a share (for its history page). */
    public List<IssuedTrophyRow> issuancesOf(String shareId, String path) {
        return issued.findByShareIdAndPathOrderByIdDesc(shareId, path);
    }

    Map<String, Share> shares() {
        return registry.all();
    }

    AccomplishmentCatalog catalog() {
        return collections.catalog();
    }

    static Optional<String> checkEvidence(String evidence) {
        if (evidence.length() > MAX_EVIDENCE) {
            return Optional.of("the evidence link is longer than " + MAX_EVIDENCE + " characters");
        }
        try {
            URI uri = new URI(evidence);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                return Optional.of("the evidence link must be an http(s) address");
            }
        } catch (URISyntaxException e) {
            return Optional.of("the evidence link is not a valid address");
        }
        return Optional.empty();
    }

    /**
     * The trophy as the 0.2 format has it, plus three keys of ours (kept and ignored by older clients, and covered
     * by the signature): who issued it, the note and the evidence link, each flattened to one line.
     */
    static String trophyText(AccomplishmentId id, String issuer, String note, String evidence, Instant at) {
        StringBuilder text = new StringBuilder(256);
        text.append("[trophy]\n")
                .append("version = 0.2\n")
                .append("id = ").append(id).append('\n')
                .append("date-accomplished = ").append(ACCOMPLISHED.format(at)).append('\n')
                .append("needs-signing = true\n")
                .append("issued-by = ").append(OneLine.of(issuer, 64)).append('\n');
        if (!note.isEmpty()) {
            text.append("note = ").append(note).append('\n');
        }
        if (!evidence.isEmpty()) {
            text.append("evidence = ").append(OneLine.of(evidence, MAX_EVIDENCE)).append('\n');
        }
        return text.toString();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
