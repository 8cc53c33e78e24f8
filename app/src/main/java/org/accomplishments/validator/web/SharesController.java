package org.accomplishments.validator.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.http.annotation.Post;
import org.accomplishments.validator.share.ShareBackendException;
import org.accomplishments.validator.share.ShareClaimRefusals;
import org.accomplishments.validator.share.ShareRepository;
import org.accomplishments.validator.validation.TrophyInbox;
import org.accomplishments.validator.share.ShareRow;
import org.accomplishments.validator.share.ShareState;

import java.util.Locale;

/** {@code GET /api/shares?state=&page=&size=}: shares offered to this server and what was decided about each. */
@Access(Access.Need.READ)
@Controller("/api/shares")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SharesController {
    private final ShareRepository shares;
    private final ShareClaimRefusals claimRefusals;
    private final TrophyInbox inbox;

    public SharesController(ShareRepository shares, ShareClaimRefusals claimRefusals, TrophyInbox inbox) {
        this.shares = shares;
        this.claimRefusals = claimRefusals;
        this.inbox = inbox;
    }

    /**
     * {@code POST /api/shares/rescan} (token): look for offers and rescan every accepted share now, listing each.
     * {@code ?changed=true} rescans as the timer's tick does: shares whose folders' mtimes did not move are skipped.
     */
    @Access(Access.Need.OPERATE)
    @Post("/rescan")
    HttpResponse<?> rescan(@QueryValue(defaultValue = "false") boolean changed) {
        try {
            inbox.acceptOffers();
        } catch (ShareBackendException e) {
            return HttpResponse.status(io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ApiViews.Message("the share backend is unavailable: " + e.getMessage()));
        }
        TrophyInbox.Summary summary = inbox.rescanAll(!changed);
        return HttpResponse.ok(new ApiViews.Message("rescanned " + summary.shares() + " shares in "
                + summary.took().toMillis() + " ms; " + summary.newCandidates() + " new candidate trophies"
                + (changed ? "; " + summary.skipped() + " unchanged shares skipped" : "")));
    }

    @Get
    HttpResponse<?> list(@QueryValue @Nullable String state, @QueryValue(defaultValue = "0") int page,
                         @QueryValue(defaultValue = "50") int size) {
        Pageable pageable = Paging.of(page, size, Sort.of(Sort.Order.asc("id")));
        // A folder refused because its share id belongs to another folder is listed too, as a refused share with
        // reason share-id-in-use, next to the share that holds the id.
        java.util.List<ShareRow> rows;
        long total;
        if (state == null || state.isBlank()) {
            rows = shares.listing(pageable.getSize(), pageable.getOffset());
            total = shares.count() + claimRefusals.count();
        } else {
            ShareState parsed = Paging.parseEnum(ShareState.class, state);
            if (parsed == null) {
                return HttpResponse.badRequest(new ApiViews.Message("state must be one of "
                        + Paging.names(ShareState.class)));
            }
            rows = shares.listing(parsed.name(), pageable.getSize(), pageable.getOffset());
            total = shares.countByState(parsed.name()) + (parsed == ShareState.REFUSED ? claimRefusals.count() : 0);
        }
        return HttpResponse.ok(new ApiViews.Page<>(rows.stream().map(SharesController::view).toList(),
                pageable.getNumber(), pageable.getSize(), total));
    }

    static ApiViews.ShareView view(ShareRow r) {
        return new ApiViews.ShareView(r.id(), r.backend(), r.owner(), r.visibleName(), r.name(), r.folder(),
                r.state().toLowerCase(Locale.ROOT), r.reason(), r.offeredAt(), r.decidedAt(), r.fileCount(),
                r.byteCount());
    }
}
