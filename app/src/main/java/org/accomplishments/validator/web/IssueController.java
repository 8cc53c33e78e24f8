package org.accomplishments.validator.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.issuing.HumanIssuedTrophies;
import org.accomplishments.validator.issuing.IssueOutcome;
import org.accomplishments.validator.issuing.IssuedTrophyRow;
import org.accomplishments.validator.share.ShareRegistry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Awarding one trophy: {@code GET /issue} (search a share, pick an accomplishment, note and evidence),
 * {@code POST /issue/preview} (what would be written where), {@code POST /issue} (confirm: write and sign).
 * {@code /issued/{id}} shows one issued trophy with its revocation form.
 */
@Access(Access.Need.ISSUE)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class IssueController {
    private final HumanIssuedTrophies trophies;
    private final ShareRegistry registry;

    public IssueController(HumanIssuedTrophies trophies, ShareRegistry registry) {
        this.trophies = trophies;
        this.registry = registry;
    }

    @Get(value = "/issue", produces = MediaType.TEXT_HTML)
    HttpResponse<?> form(HttpRequest<?> request, @QueryValue @Nullable String q, @QueryValue @Nullable String share,
                         @QueryValue @Nullable String accomplishment) {
        Principal me = Pages.me(request);
        Map<String, Object> model = Pages.model(request);
        model.put("q", q == null ? "" : q);
        model.put("found", q == null || q.isBlank() ? List.of() : trophies.searchShares(q, 50));
        model.put("share", share == null ? null : registry.find(share).filter(s -> s.accepted()).orElse(null));
        model.put("awardable", trophies.awardable(me));
        model.put("accomplishment", accomplishment == null ? "" : accomplishment);
        model.put("note", "");
        model.put("evidence", "");
        return Pages.view("issue", model);
    }

    @Post(value = "/issue/preview", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> preview(HttpRequest<?> request, @Body Map<String, String> form) {
        Principal me = Pages.me(request);
        HumanIssuedTrophies.Check check = trophies.prepare(me, form.get("share"), form.get("accomplishment"),
                form.get("note"), form.get("evidence"));
        Map<String, Object> model = Pages.model(request);
        if (check instanceof HumanIssuedTrophies.Check.Refused refused) {
            model.put("error", refused.reason());
            model.put("q", "");
            model.put("found", List.of());
            model.put("share", form.get("share") == null ? null
                    : registry.find(form.get("share")).filter(s -> s.accepted()).orElse(null));
            model.put("awardable", trophies.awardable(me));
            model.put("accomplishment", form.getOrDefault("accomplishment", ""));
            model.put("note", form.getOrDefault("note", ""));
            model.put("evidence", form.getOrDefault("evidence", ""));
            return Pages.view("issue", model).status(HttpStatus.UNPROCESSABLE_ENTITY);
        }
        model.put("draft", ((HumanIssuedTrophies.Check.Ready) check).draft());
        return Pages.view("issue-preview", model);
    }

    @Post(value = "/issue", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> issue(HttpRequest<?> request, @Body Map<String, String> form) {
        Principal me = Pages.me(request);
        IssueOutcome outcome = trophies.issue(me, form.get("share"), form.get("accomplishment"), form.get("note"),
                form.get("evidence"), WebRequests.remote(request));
        if (outcome instanceof IssueOutcome.Issued issued) {
            return Pages.seeOther("/issued/" + issued.row().id() + "?done=1");
        }
        Map<String, Object> model = Pages.model(request);
        model.put("error", outcome instanceof IssueOutcome.Refused r ? r.reason()
                : "writing into the share failed: " + ((IssueOutcome.Failed) outcome).detail());
        model.put("q", "");
        model.put("found", List.of());
        model.put("share", null);
        model.put("awardable", trophies.awardable(me));
        model.put("accomplishment", form.getOrDefault("accomplishment", ""));
        model.put("note", form.getOrDefault("note", ""));
        model.put("evidence", form.getOrDefault("evidence", ""));
        boolean conflict = outcome instanceof IssueOutcome.Refused r && r.conflict();
        return Pages.view("issue", model).status(conflict ? HttpStatus.CONFLICT : HttpStatus.UNPROCESSABLE_ENTITY);
    }

    @Get(value = "/issued/{id}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> one(HttpRequest<?> request, @PathVariable long id, @QueryValue @Nullable String done) {
        Optional<IssuedTrophyRow> row = trophies.find(id);
        Map<String, Object> model = Pages.model(request);
        if (row.isEmpty()) {
            model.put("message", "There is no issued trophy " + id + ".");
            return Pages.view("notfound", model).status(404);
        }
        model.put("i", row.get());
        model.put("done", done != null);
        model.put("mayRevoke", Pages.me(request).mayAward(row.get().accomplishmentId()));
        return Pages.view("issued-one", model);
    }

    @Post(value = "/issued/{id}/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> revoke(HttpRequest<?> request, @PathVariable long id, @Body Map<String, String> form) {
        if (!"yes".equals(form.get("confirm"))) {
            // First the confirmation step: what revoking does, which cannot be taken back; nothing changes yet.
            Optional<IssuedTrophyRow> row = trophies.find(id);
            Map<String, Object> model = Pages.model(request);
            if (row.isEmpty() || !Pages.me(request).mayAward(row.get().accomplishmentId())) {
                model.put("message", "no issued trophy " + id + " that you may revoke");
                return Pages.view("notfound", model).status(404);
            }
            String reason = form.getOrDefault("reason", "").strip();
            if (reason.isEmpty() || row.get().revoked() || !row.get().state().equals("ISSUED")) {
                model.put("i", row.get());
                model.put("done", false);
                model.put("mayRevoke", true);
                model.put("error", reason.isEmpty() ? "say why it is revoked"
                        : "trophy " + id + " is revoked already or was never completely issued");
                return Pages.view("issued-one", model).status(HttpStatus.UNPROCESSABLE_ENTITY);
            }
            model.put("i", row.get());
            model.put("reason", reason);
            return Pages.view("revoke-confirm", model);
        }
        Optional<String> refused = trophies.revoke(Pages.me(request), id, form.get("reason"), WebRequests.remote(request));
        if (refused.isPresent()) {
            Map<String, Object> model = Pages.model(request);
            Optional<IssuedTrophyRow> row = trophies.find(id);
            if (row.isEmpty() || !Pages.me(request).mayAward(row.get().accomplishmentId())) {
                model.put("message", refused.get());
                return Pages.view("notfound", model).status(404);
            }
            model.put("i", row.get());
            model.put("done", false);
            model.put("mayRevoke", true);
            model.put("error", refused.get());
            return Pages.view("issued-one", model).status(HttpStatus.UNPROCESSABLE_ENTITY);
        }
        return Pages.seeOther("/issued/" + id);
    }
}
