package org.accomplishments.validator.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.audit.AuditLog;
import org.accomplishments.validator.collection.AccomplishmentCatalog;
import org.accomplishments.validator.collection.InstalledCollections;
import org.accomplishments.validator.share.ShareBackendException;
import org.accomplishments.validator.validation.TrophyInbox;
import org.accomplishments.validator.validation.TrophyLedger;
import org.accomplishments.validator.validation.TrophyRow;
import org.accomplishments.validator.validation.TrophyState;
import org.accomplishments.validator.validation.ValidationPipeline;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operator actions of the API as buttons for an admin's session: rescan every share, reload the collections,
 * validate one trophy again. Forms post (the CSRF filter checks their token) and every action is audited with
 * what it did, like its API twin ({@code POST /api/shares/rescan}, {@code /api/collections/reload},
 * {@code /api/trophies/{id}/revalidate}).
 */
@Access(Access.Need.ADMIN_SESSION)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class OperatorActionsController {
    private final TrophyInbox inbox;
    private final InstalledCollections collections;
    private final TrophyLedger ledger;
    private final ValidationPipeline pipeline;
    private final AuditLog audit;

    public OperatorActionsController(TrophyInbox inbox, InstalledCollections collections, TrophyLedger ledger,
                                     ValidationPipeline pipeline, AuditLog audit) {
        this.inbox = inbox;
        this.collections = collections;
        this.ledger = ledger;
        this.pipeline = pipeline;
        this.audit = audit;
    }

    @Post(value = "/admin/rescan", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> rescan(HttpRequest<?> request) {
        String me = Pages.me(request).name();
        try {
            inbox.acceptOffers();
        } catch (ShareBackendException e) {
            String why = "the share backend is unavailable: " + e.getMessage();
            audit.record(me, "rescan-failed", "shares", why, WebRequests.remote(request));
            return done(request, "Rescan", null, why, "/shares", "Shares", HttpStatus.SERVICE_UNAVAILABLE);
        }
        TrophyInbox.Summary summary = inbox.rescanAll();
        String what = "rescanned " + summary.shares() + " shares in " + summary.took().toMillis() + " ms; "
                + summary.newCandidates() + " new candidate trophies";
        audit.record(me, "rescan", "shares", what, WebRequests.remote(request));
        return done(request, "Rescan", what, null, "/shares", "Shares", HttpStatus.OK);
    }

    @Post(value = "/admin/collections/reload", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    HttpResponse<?> reload(HttpRequest<?> request) {
        AccomplishmentCatalog catalog = collections.reload();
        pipeline.wake();
        String what = "reloaded " + catalog.collections().size() + " collections, " + catalog.accomplishments().size()
                + " accomplishments, " + catalog.problems().size() + " problems" + collections.notValidatingBecause().map(w -> "; not validating: " + w)
                .orElse("");
        audit.record(Pages.me(request).name(), "reload-collections", "collections", what,
                WebRequests.remote(request));
        return done(request, "Reload collections", what, null, "/admin/collections", "Collections", HttpStatus.OK);
    }

    @Post(value = "/trophies/{id}/revalidate", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    HttpResponse<?> revalidate(HttpRequest<?> request, @PathVariable long id) {
        String me = Pages.me(request).name();
        Optional<TrophyRow> row = ledger.find(id);
        if (row.isEmpty()) {
            Map<String, Object> model = Pages.model(request);
            model.put("message", "There is no trophy " + id + ".");
            return Pages.view("notfound", model).status(HttpStatus.NOT_FOUND);
        }
        String back = "/trophies/" + id;
        Optional<TrophyRow> requeued = ledger.requeue(id, "revalidation requested by " + me + " in the web UI");
        if (requeued.isEmpty()) {
            TrophyState state = row.get().trophyState();
            String why = "trophy " + id + " is " + state.name().toLowerCase(Locale.ROOT) + ": " + whyNot(state);
            audit.record(me, "revalidate-refused", "trophy " + id, why, WebRequests.remote(request));
            return done(request, "Validate again", null, why, back, "Trophy " + id, HttpStatus.CONFLICT);
        }
        pipeline.wake();
        audit.record(me, "revalidate", "trophy " + id, row.get().path() + " of share " + row.get().shareId()
                + " queued (was " + row.get().trophyState().name().toLowerCase(Locale.ROOT) + ")",
                WebRequests.remote(request));
        return Pages.seeOther(back);
    }

    static String whyNot(TrophyState state) {
        return switch (state) {
            case SUPERSEDED, VANISHED -> "its content is no longer in the share";
            case REVOKED -> "its award was revoked; a revoked signature is never written again";
            default -> "it is being processed right now; try again shortly";
        };
    }

    private static HttpResponse<?> done(HttpRequest<?> request, String title, String message, String error,
                                        String back, String backName, HttpStatus status) {
        Map<String, Object> model = Pages.model(request);
        model.put("title", title);
        model.put("message", message);
        model.put("error", error);
        model.put("back", back);
        model.put("backName", backName);
        return Pages.view("action-done", model).status(status);
    }
}
