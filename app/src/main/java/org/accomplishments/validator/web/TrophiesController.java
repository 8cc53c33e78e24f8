package org.accomplishments.validator.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.audit.AuditLog;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.validation.TrophyLedger;
import org.accomplishments.validator.validation.TrophyRevalidation;
import org.accomplishments.validator.validation.TrophyRepository;
import org.accomplishments.validator.validation.TrophyRow;
import org.accomplishments.validator.validation.TrophyState;
import org.accomplishments.validator.validation.ValidationPipeline;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /api/trophies?share=&state=&page=&size=}: candidate trophies, newest first;
 * {@code GET /api/trophies/{id}}: one trophy with its history (attempts, exit codes, output tails, verdict);
 * {@code POST /api/trophies/{id}/revalidate} (token): validate it again from the start.
 */
@Access(Access.Need.READ)
@Controller("/api/trophies")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TrophiesController {
    private final TrophyRepository trophies;
    private final TrophyLedger ledger;
    private final ValidationPipeline pipeline;
    private final TrophyRevalidation revalidation;
    private final AuditLog audit;

    public TrophiesController(TrophyRepository trophies, TrophyLedger ledger, ValidationPipeline pipeline,
                              TrophyRevalidation revalidation, AuditLog audit) {
        this.revalidation = revalidation;
        this.audit = audit;
        this.trophies = trophies;
        this.ledger = ledger;
        this.pipeline = pipeline;
    }

    @Get
    HttpResponse<?> list(@QueryValue @Nullable String share, @QueryValue @Nullable String state,
                         @QueryValue(defaultValue = "0") int page, @QueryValue(defaultValue = "50") int size) {
        Pageable pageable = Paging.of(page, size, Sort.of(Sort.Order.desc("id")));
        TrophyState parsed = null;
        if (state != null && !state.isBlank()) {
            parsed = Paging.parseEnum(TrophyState.class, state);
            if (parsed == null) {
                return HttpResponse.badRequest(new ApiViews.Message("state must be one of "
                        + Paging.names(TrophyState.class)));
            }
        }
        boolean byShare = share != null && !share.isBlank();
        io.micronaut.data.model.Page<TrophyRow> rows;
        if (byShare && parsed != null) {
            rows = trophies.findByShareIdAndState(share, parsed.name(), pageable);
        } else if (byShare) {
            rows = trophies.findByShareId(share, pageable);
        } else if (parsed != null) {
            rows = trophies.findByState(parsed.name(), pageable);
        } else {
            rows = trophies.findAll(pageable);
        }
        return HttpResponse.ok(new ApiViews.Page<>(rows.getContent().stream().map(TrophiesController::view).toList(),
                pageable.getNumber(), pageable.getSize(), rows.getTotalSize()));
    }

    @Get("/{id}")
    HttpResponse<?> one(@PathVariable long id) {
        Optional<TrophyRow> row = ledger.find(id);
        if (row.isEmpty()) {
            return HttpResponse.notFound(new ApiViews.Message("no trophy " + id));
        }
        return HttpResponse.ok(new ApiViews.TrophyDetail(view(row.get()), ledger.history(id).stream()
                .map(e -> new ApiViews.EventView(e.at(), e.kind(), e.state().toLowerCase(Locale.ROOT), e.exitCode(),
                        e.durationMs(), e.detail(), e.stdoutTail(), e.stderrTail())).toList()));
    }

    /**
     * Re-validation by filter, after a configuration mistake: JSON {@code {"reason": ..., "collection": ...,
     * "share": ..., "states": ["rejected"]}} (at least one of the first three); 202 with how many were queued.
     */
    @Access(Access.Need.OPERATE)
    @Post("/revalidate")
    HttpResponse<?> revalidateMatching(HttpRequest<?> request, @Body ApiViews.RevalidationFilter body) {
        TrophyRevalidation.Filter filter;
        try {
            filter = TrophyRevalidation.Filter.parse(body.states(), body.reason(), body.collection(), body.share());
        } catch (IllegalArgumentException e) {
            return HttpResponse.badRequest(new ApiViews.Message(e.getMessage()));
        }
        Principal who = WebRequests.principal(request);
        int queued = revalidation.revalidate(filter, "revalidation by filter requested by " + who.name()
                + " (" + filter.describe() + ")");
        audit.record(who.name(), "revalidate", filter.describe(), queued + " trophies queued", WebRequests.remote(request));
        return HttpResponse.accepted().body(new ApiViews.Revalidation(queued, filter.describe()));
    }

    @Access(Access.Need.OPERATE)
    @Post("/{id}/revalidate")
    HttpResponse<?> revalidate(@PathVariable long id) {
        Optional<TrophyRow> row = ledger.find(id);
        if (row.isEmpty()) {
            return HttpResponse.notFound(new ApiViews.Message("no trophy " + id));
        }
        TrophyState state = row.get().trophyState();
        Optional<TrophyRow> requeued = ledger.requeue(id, "revalidation requested through the API");
        if (requeued.isEmpty()) {
            String why = state == TrophyState.SUPERSEDED || state == TrophyState.VANISHED
                    ? "its content is no longer in the share" : "it is being processed right now; try again shortly";
            return HttpResponse.status(io.micronaut.http.HttpStatus.CONFLICT).body(new ApiViews.Message(
                    "trophy " + id + " is " + state.name().toLowerCase(Locale.ROOT) + ": " + why));
        }
        pipeline.wake();
        return HttpResponse.accepted().body(view(requeued.get()));
    }

    static ApiViews.TrophyView view(TrophyRow r) {
        return new ApiViews.TrophyView(r.id(), r.shareId(), r.path(), r.sha256(), r.size(), r.accomplishmentId(),
                r.state().toLowerCase(Locale.ROOT), r.attempts(), r.notYetCount(), r.errorCount(),
                r.dependencyWaits(), r.nextAttemptAt(), r.reason(), r.detail(), r.signedBy(), r.firstSeenAt(),
                r.updatedAt(), r.verdictAt());
    }
}
