package org.accomplishments.validator.issuing;

import io.micronaut.context.annotation.Value;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.accomplishments.validator.auth.Accounts;
import org.accomplishments.validator.auth.IssuerScope;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.auth.Role;
import org.accomplishments.validator.auth.TokenScopes;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareFolder;
import org.accomplishments.validator.share.ShareRegistry;
import org.accomplishments.validator.share.ShareSettings;
import org.accomplishments.validator.trophy.OneLine;
import org.accomplishments.validator.trophy.ParseResult;
import org.accomplishments.validator.trophy.RevocationList;
import org.accomplishments.validator.trophy.SignedTrophy;
import org.accomplishments.validator.trophy.SignedTrophyText;
import org.accomplishments.validator.trophy.Trophy;
import org.accomplishments.validator.trophy.TrophyParser;
import org.accomplishments.validator.trophy.TrophyRejection;
import org.accomplishments.validator.validation.TrophyInbox;
import org.accomplishments.validator.validation.TrophyLedger;
import org.accomplishments.validator.validation.VerdictWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Optional;

/**
 * After a crash: every award still WRITING is settled from what is on disk, then bulk jobs that were applying resume.
 * The order of writes (intent made durable, {@code .asc}, {@code .trophy}, then ISSUED) leaves four cases:
 * <ul>
 *   <li>the {@code .trophy} with exactly the recorded content and a signature of ours over it, bound to the share:
 *   the award is complete, recorded as ISSUED;</li>
 *   <li>the {@code .trophy} (our content) without its signature: it is signed again, then ISSUED;</li>
 *   <li>only our {@code .asc} of this award (its share, its time, its accomplishment): it is taken back (we wrote
 *   it) and the award is FAILED, so the share's award is free again and a bulk row is done again;</li>
 *   <li>nothing: FAILED, nothing was written.</li>
 * </ul>
 * Alone on the database (the default) every WRITING row is a dead process's; clustered, only rows older than
 * {@link #CLUSTER_GRACE} are, another node may be writing the younger ones.
 */
@Singleton
public class AwardRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(AwardRecovery.class);
    static final Duration CLUSTER_GRACE = Duration.ofMinutes(10);

    private final IssuedTrophyRepository issued;
    private final ShareRegistry registry;
    private final ShareBackend backend;
    private final ShareSettings shareSettings;
    private final VerdictWriter verdicts;
    private final TrophyLedger ledger;
    private final TrophyInbox inbox;
    private final BulkIssuance bulk;
    private final Accounts accounts;
    private final Clock clock;
    private final boolean clustered;

    public AwardRecovery(IssuedTrophyRepository issued, ShareRegistry registry, ShareBackend backend,
                         ShareSettings shareSettings, VerdictWriter verdicts, TrophyLedger ledger, TrophyInbox inbox,
                         BulkIssuance bulk,
                         Accounts accounts, Clock clock,
                         @Value("${validator.cluster.enabled:false}") boolean clustered) {
        this.issued = issued;
        this.registry = registry;
        this.backend = backend;
        this.shareSettings = shareSettings;
        this.verdicts = verdicts;
        this.ledger = ledger;
        this.inbox = inbox;
        this.bulk = bulk;
        this.accounts = accounts;
        this.clock = clock;
        this.clustered = clustered;
    }

    /** After the server is up (keys, collections and shares loaded by then), in the background. */
    @EventListener
    void onServerStarted(ServerStartupEvent event) {
        Thread thread = new Thread(() -> {
            try {
                recoverAndResume();
            } catch (RuntimeException e) {
                LOG.error("settling interrupted awards failed: {}; the next start tries again", e.toString(), e);
            }
        }, "award-recovery");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Settles every interrupted award, then resumes the bulk jobs that were applying. Only after the start's first
     * full rescan: that rescan removes the temporary files a killed process left, at once (nothing else can be
     * writing then), and would take those of a resumed write with them.
     */
    public void recoverAndResume() {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (inbox.lastFullScan().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        int settled = 0;
        for (IssuedTrophyRow row : issued.findWriting()) {
            if (clustered && row.issuedAt().isAfter(clock.instant().minus(CLUSTER_GRACE))) {
                continue;
            }
            settle(row);
            settled++;
        }
        if (settled > 0) {
            LOG.info("settled {} awards a crash had left half-written", settled);
        }
        bulk.resumeAll(this::owner);
    }

    void settle(IssuedTrophyRow row) {
        Optional<Share> share = registry.find(row.shareId()).filter(Share::accepted);
        if (share.isEmpty()) {
            fail(row, "interrupted by a restart, and the share is no longer accepted; nothing more is written");
            return;
        }
        try {
            ShareFolder folder = backend.folder(share.get());
            ShareFolder.ReadResult read = folder.read(row.path(), shareSettings.getMaxTrophyBytes());
            Optional<Trophy> ours = read instanceof ShareFolder.ReadResult.Content content
                    && TrophyRejection.sha256Hex(content.bytes()).equals(row.trophySha256())
                    && TrophyParser.parse(content.bytes()) instanceof TrophyParser.Parsed parsed
                    ? Optional.of(parsed.trophy()) : Optional.empty();
            Optional<SignedTrophy> signature = verdicts.ownSignedText(folder, row.path() + ".asc")
                    .flatMap(text -> SignedTrophyText.parse(text).asOptional().map(s -> new Signed(text, s)))
                    .filter(s -> s.trophy().binding().map(b -> b.shareId().equals(row.shareId())).orElse(false))
                    .map(Signed::trophy);
            if (ours.isPresent()) {
                String text;
                String fingerprint;
                Optional<String> signedText = verdicts.ownSignedText(folder, row.path() + ".asc");
                if (signature.isPresent() && signature.get().trophySection().equals(ours.get().trophySection())
                        && signedText.isPresent()) {
                    text = signedText.get();
                    fingerprint = signature.get().binding().orElseThrow().keyFingerprint();
                } else {
                    VerdictWriter.Signature signed = verdicts.sign(share.get(), ours.get(), row.issuedAt());
                    verdicts.writeSigned(folder, row.path(), signed);
                    issued.finish(row.id(), IssuedTrophyRow.State.ISSUED.name(),
                            "completed after a restart: signed again", signed.signedTextSha256(), signed.fingerprint());
                    recorded(row, signed.fingerprint(), size(read));
                    return;
                }
                issued.finish(row.id(), IssuedTrophyRow.State.ISSUED.name(), "completed after a restart",
                        RevocationList.digest(text), fingerprint);
                recorded(row, fingerprint, size(read));
                return;
            }
            boolean ourAsc = signature.isPresent() && thisAward(row, signature.get());
            if (ourAsc && read instanceof ShareFolder.ReadResult.Missing) {
                verdicts.removeOwnSignature(folder, row.path() + ".asc");
                fail(row, "interrupted by a restart before the trophy was written; its signature was taken back");
                return;
            }
            if (ourAsc && read instanceof ShareFolder.ReadResult.Content content && !issued.findRevokedContent(
                    row.shareId(), row.path(), TrophyRejection.sha256Hex(content.bytes())).isEmpty()) {
                // A re-issue after a revocation: the new signature is written, the revoked award's trophy not
                // replaced yet. The signature is taken back; the revoked trophy stays as it was.
                verdicts.removeOwnSignature(folder, row.path() + ".asc");
                fail(row, "interrupted by a restart before the revoked award's trophy was replaced; the new "
                        + "signature was taken back");
                return;
            }
            fail(row, read instanceof ShareFolder.ReadResult.Missing
                    ? "interrupted by a restart before anything was written"
                    : "interrupted by a restart; the share holds another file at " + row.path() + ", left as it is");
        } catch (IOException | RuntimeException e) {
            LOG.warn("settling award #{} failed: {}; the next start tries again", row.id(), e.toString());
        }
    }

    private record Signed(String text, SignedTrophy trophy) {
    }

    /** Our signature for this very award: its share, its time, its accomplishment and its issuer. */
    private static boolean thisAward(IssuedTrophyRow row, SignedTrophy signed) {
        return signed.binding().map(b -> b.shareId().equals(row.shareId())
                        && b.validatedAt().equals(row.issuedAt().truncatedTo(ChronoUnit.SECONDS))).orElse(false)
                && row.accomplishmentId().equals(signed.trophyEntries().get("id"))
                && row.issuer().equals(signed.trophyEntries().get("issued-by"));
    }

    private static long size(ShareFolder.ReadResult read) {
        return read instanceof ShareFolder.ReadResult.Content content ? content.bytes().length : 0;
    }

    private void recorded(IssuedTrophyRow row, String fingerprint, long size) {
        try {
            ledger.recordIssued(row.shareId(), row.path(), row.trophySha256(), size, row.accomplishmentId(),
                    fingerprint, "issued by " + row.issuer() + " (issued #" + row.id() + "); completed after a restart");
        } catch (RuntimeException e) {
            // The rescan recorded the content first: its row stays, and the pipeline recognises the signature.
            LOG.debug("award #{}: the ledger has the trophy already: {}", row.id(), e.toString());
        }
        LOG.info("award #{} ({} to {}) completed after a restart", row.id(), row.accomplishmentId(), row.owner());
    }

    private void fail(IssuedTrophyRow row, String detail) {
        issued.finish(row.id(), IssuedTrophyRow.State.FAILED.name(), OneLine.of(detail, 2000), null, null);
        LOG.info("award #{} ({} to {}): {}", row.id(), row.accomplishmentId(), row.owner(), detail);
    }

    /** The owner of a bulk job as they are now (role and scope looked up again); empty when they may not issue. */
    private Optional<Principal> owner(String name) {
        Optional<Principal> account = accounts.find(name).filter(u -> !u.disabled())
                .map(u -> new Principal(u.name(), u.userRole(), u.issuerScope(), Principal.Via.SESSION,
                        new TokenScopes(EnumSet.noneOf(TokenScopes.Scope.class)), null, null));
        if (account.isEmpty() && name.equals("operator")) {
            // The operator token has no account: the job was started with it, and it acts as an admin.
            return Optional.of(new Principal("operator", Role.ADMIN, IssuerScope.parse(""),
                    Principal.Via.OPERATOR_TOKEN, new TokenScopes(EnumSet.allOf(TokenScopes.Scope.class)), null, null));
        }
        return account.filter(Principal::mayIssue);
    }
}
