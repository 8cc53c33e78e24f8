package org.accomplishments.validator.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.issuing.HumanIssuedTrophies;
import org.accomplishments.validator.issuing.IssuedTrophyRow;
import org.accomplishments.validator.overview.LedgerOverview;
import org.accomplishments.validator.overview.ShareOverview;
import org.accomplishments.validator.overview.StateCounts;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareRegistry;
import org.accomplishments.validator.share.ShareRow;
import org.accomplishments.validator.share.ShareState;
import org.accomplishments.validator.signing.SigningFactory;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.accomplishments.validator.validation.TrophyInbox;
import org.accomplishments.validator.validation.TrophyLedger;
import org.accomplishments.validator.validation.TrophyRow;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operations dashboard ({@code /}), one trophy's history
 * ({@code /trophies/{id}}) and the share list ({@code /shares}). Lists are keyset-paged ("older" links carry the
 * last id seen), so a page costs the same with a million rows; the state counts are kept by the verdict rollup
 * ({@link StateCounts}), so nothing here grows with the ledger.
 */
@Access(Access.Need.READ)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class DashboardController {
    static final int PAGE = 50;

    private final TrophyLedger ledger;
    private final LedgerOverview trophies;
    private final ShareOverview shares;
    private final ShareRegistry registry;
    private final ShareBackend backend;
    private final ValidationKeyring keyring;
    private final TrophyInbox inbox;
    private final HumanIssuedTrophies issued;
    private final Clock clock;
    private final org.accomplishments.validator.overview.Activity activity;
    private final StateCounts stateCounts;

    private record Counts(StateCounts.Counts trophies, Map<String, Long> shares, Instant at) {
    }

    public DashboardController(TrophyLedger ledger, LedgerOverview trophies, ShareOverview shares,
                               ShareRegistry registry, ShareBackend backend, ValidationKeyring keyring,
                               TrophyInbox inbox, HumanIssuedTrophies issued, Clock clock,
                               org.accomplishments.validator.overview.Activity activity, StateCounts stateCounts) {
        this.activity = activity;
        this.stateCounts = stateCounts;
        this.ledger = ledger;
        this.trophies = trophies;
        this.shares = shares;
        this.registry = registry;
        this.backend = backend;
        this.keyring = keyring;
        this.inbox = inbox;
        this.issued = issued;
        this.clock = clock;
    }

    @Get(value = "/", produces = MediaType.TEXT_HTML)
    HttpResponse<?> dashboard(HttpRequest<?> request) {
        Map<String, Object> model = Pages.model(request);
        Counts c = counts();
        model.put("trophyCounts", c.trophies().byState());
        model.put("shareCounts", c.shares());
        model.put("countsAt", c.at());
        model.put("countsTookMs", c.trophies().tookMs());
        model.put("countsAsOfEvent", c.trophies().asOfEvent());
        model.put("countsComplete", c.trophies().complete());
        Instant far = Instant.parse("9999-12-31T00:00:00Z");
        model.put("verdicts", trophies.recentVerdicts(far, 15));
        model.put("waiting", trophies.waiting(Instant.EPOCH, 15));
        model.put("accepted", shares.decisions(ShareState.ACCEPTED.name(), far, 10));
        List<ShareRow> refused = new ArrayList<>(shares.decisions(ShareState.REFUSED.name(), far, 10));
        refused.addAll(shares.decisions(ShareState.OVER_LIMIT.name(), far, 5));
        model.put("refused", refused);
        model.put("revocations", issued.recentRevocations(10));
        model.put("recentIssued", issued.page(null, 10));
        model.put("activeKey", keyring.active());
        model.put("activeKeyAlgorithm", SigningFactory.algorithmName(keyring.active().algorithm()));
        model.put("keys", keyring.keys());
        ShareBackend.BackendHealth health = backend.health();
        model.put("backendName", backend.name());
        model.put("backendUp", health.up());
        model.put("backendDetail", health.detail());
        model.put("lastScan", inbox.lastFullScan().orElse(null));
        InsightController.activity(model, activity, c.trophies().byState(), clock);
        return Pages.view("dashboard", model);
    }

    @Get(value = "/trophies/{id}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> one(HttpRequest<?> request, @PathVariable long id) {
        Optional<TrophyRow> row = ledger.find(id);
        if (row.isEmpty()) {
            Map<String, Object> model = Pages.model(request);
            model.put("message", "There is no trophy " + id + ".");
            return Pages.view("notfound", model).status(404);
        }
        Map<String, Object> model = Pages.model(request);
        model.put("t", row.get());
        model.put("history", ledger.history(id));
        model.put("revalidatable", TrophyLedger.revalidatable(row.get().trophyState()));
        model.put("shareRow", registry.find(row.get().shareId()).orElse(null));
        List<IssuedTrophyRow> issuances = issued.issuancesOf(row.get().shareId(), row.get().path());
        model.put("issuances", issuances);
        return Pages.view("trophy", model);
    }

    @Get(value = "/shares", produces = MediaType.TEXT_HTML)
    HttpResponse<?> shareList(HttpRequest<?> request, @QueryValue @Nullable String after) {
        Map<String, Object> model = Pages.model(request);
        List<ShareRow> rows = shares.page(after == null ? "" : after, PAGE + 1);
        boolean more = rows.size() > PAGE;
        List<ShareRow> page = more ? rows.subList(0, PAGE) : rows;
        model.put("rows", page);
        model.put("next", more ? page.get(page.size() - 1).id() : null);
        model.put("claimRefusals", registry.latestClaimRefusals(PAGE));
        return Pages.view("shares", model);
    }

    /** Trophies per state from {@link StateCounts} (no count of the ledger), shares per state (a small table). */
    private Counts counts() {
        StateCounts.Counts trophyCounts = stateCounts.now();
        Map<String, Long> shareCounts = new LinkedHashMap<>();
        for (ShareState s : ShareState.values()) {
            shareCounts.put(s.name().toLowerCase(Locale.ROOT), registry.count(s));
        }
        return new Counts(trophyCounts, shareCounts, clock.instant());
    }
}
