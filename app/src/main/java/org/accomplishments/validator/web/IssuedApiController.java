package org.accomplishments.validator.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.issuing.HumanIssuedTrophies;
import org.accomplishments.validator.issuing.IssueOutcome;
import org.accomplishments.validator.issuing.IssuedTrophyRow;

import java.time.Instant;
import java.util.Optional;

/**
 * Issuing for scripts (a token with the {@code issue} scope): {@code POST /api/issued} awards one trophy,
 * {@code POST /api/issued/{id}/revoke} revokes one, {@code GET /api/issued/{id}} (read scope) shows one. The same checks as the pages, scope included.
 */
@Access(Access.Need.ISSUE)
@Controller("/api/issued")
@ExecuteOn(TaskExecutors.BLOCKING)
public class IssuedApiController {
    private final HumanIssuedTrophies trophies;

    public IssuedApiController(HumanIssuedTrophies trophies) {
        this.trophies = trophies;
    }

    @Serdeable
    record IssueRequest(String share, String accomplishment, @Nullable String note, @Nullable String evidence) {
    }

    @Serdeable
    record RevokeRequest(String reason) {
    }

    @Serdeable
    record IssuedView(long id, String shareId, String owner, String accomplishmentId, String path, String issuer,
                      String state, @Nullable String signedBy, @Nullable String signedTextSha256, Instant issuedAt,
                      @Nullable Instant revokedAt) {
        static IssuedView of(IssuedTrophyRow r) {
            return new IssuedView(r.id(), r.shareId(), r.owner(), r.accomplishmentId(), r.path(), r.issuer(),
                    r.state().toLowerCase(java.util.Locale.ROOT), r.signedBy(), r.signedTextSha256(), r.issuedAt(),
                    r.revokedAt());
        }
    }

    @Post
    HttpResponse<?> issue(HttpRequest<?> request, @Body IssueRequest body) {
        Principal me = WebRequests.principal(request);
        IssueOutcome outcome = trophies.issue(me, body.share(), body.accomplishment(), body.note(), body.evidence(),
                WebRequests.remote(request));
        if (outcome instanceof IssueOutcome.Issued issued) {
            return HttpResponse.created(IssuedView.of(issued.row()));
        }
        if (outcome instanceof IssueOutcome.Refused refused) {
            // 409: the award exists (or another request is writing it right now); 422: the request itself is refused.
            return HttpResponse.status(refused.conflict() ? HttpStatus.CONFLICT : HttpStatus.UNPROCESSABLE_ENTITY)
                    .body(new ApiViews.Message(refused.reason()));
        }
        return HttpResponse.serverError(new ApiViews.Message(((IssueOutcome.Failed) outcome).detail()));
    }

    /** {@code GET /api/issued/{id}} (read): one award, its state ({@code issued}, {@code revoked}, ...) and dates. */
    @Access(Access.Need.READ)
    @Get("/{id}")
    HttpResponse<?> one(@PathVariable long id) {
        return trophies.find(id).<HttpResponse<?>>map(r -> HttpResponse.ok(IssuedView.of(r)))
                .orElseGet(() -> HttpResponse.notFound(new ApiViews.Message("no issued trophy " + id)));
    }

    @Post("/{id}/revoke")
    HttpResponse<?> revoke(HttpRequest<?> request, @PathVariable long id, @Body RevokeRequest body) {
        Optional<String> refused = trophies.revoke(WebRequests.principal(request), id, body.reason(),
                WebRequests.remote(request));
        if (refused.isPresent()) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ApiViews.Message(refused.get()));
        }
        return HttpResponse.ok(IssuedView.of(trophies.find(id).orElseThrow()));
    }
}
