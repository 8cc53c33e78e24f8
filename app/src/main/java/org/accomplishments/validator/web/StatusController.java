package org.accomplishments.validator.web;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.collection.AccomplishmentCatalog;
import org.accomplishments.validator.collection.InstalledCollections;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareRegistry;
import org.accomplishments.validator.share.ShareState;
import org.accomplishments.validator.signing.SigningFactory;
import org.accomplishments.validator.signing.SigningKey;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.accomplishments.validator.validation.TrophyInbox;
import org.accomplishments.validator.validation.TrophyLedger;
import org.accomplishments.validator.validation.ValidationPipeline;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /api/status}: what the appliance is doing, in one call. */
@Access(Access.Need.READ)
@Controller("/api/status")
@ExecuteOn(TaskExecutors.BLOCKING)
public class StatusController {
    /**
     * Exact counts, read from the ledger: scripts and operators poll this to know when a burst is done. The dashboard
     * reads the rollup's kept counts instead ({@code StateCounts}), which may trail a burst of over a thousand changes
     * by a rollup interval; a client waiting for "signed == N" must not see that.
     */
    private final TrophyLedger ledger;
    private final ShareRegistry shares;
    private final TrophyInbox inbox;
    private final ValidationPipeline pipeline;
    private final ValidationKeyring keyring;
    private final ShareBackend backend;
    private final InstalledCollections collections;

    public StatusController(TrophyLedger ledger, ShareRegistry shares, TrophyInbox inbox, ValidationPipeline pipeline,
                            ValidationKeyring keyring, ShareBackend backend, InstalledCollections collections) {
        this.ledger = ledger;
        this.shares = shares;
        this.inbox = inbox;
        this.pipeline = pipeline;
        this.keyring = keyring;
        this.backend = backend;
        this.collections = collections;
    }

    @Get
    ApiViews.Status status() {
        Map<String, Long> shareCounts = new TreeMap<>();
        for (ShareState state : ShareState.values()) {
            shareCounts.put(state.name().toLowerCase(Locale.ROOT), shares.count(state));
        }
        SigningKey key = keyring.active();
        ShareBackend.BackendHealth health = backend.health();
        AccomplishmentCatalog catalog = collections.catalog();
        return new ApiViews.Status(ledger.countsByState(), shareCounts, inbox.lastFullScan().orElse(null),
                inbox.lastFullScanTook().map(Duration::toMillis).orElse(null), pipeline.inFlight(),
                new ApiViews.Key(key.fingerprint(), SigningFactory.algorithmName(key.algorithm()), key.created()),
                new ApiViews.Backend(backend.name(), health.up(), health.detail()),
                ApiViews.Collections.of(collections, catalog));
    }
}
