package org.accomplishments.validator.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.audit.AuditLog;
import org.accomplishments.validator.collection.InstalledCollections;
import org.accomplishments.validator.trophy.RejectionReason;
import org.accomplishments.validator.validation.TrophyRevalidation;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/revalidate}: validate verdicts again by filter (reason, collection, share) after a configuration
 * mistake; the same as {@code POST /api/trophies/revalidate}, audited.
 */
@Access(Access.Need.ADMIN_SESSION)
@Controller("/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminRevalidateController {
    private final TrophyRevalidation revalidation;
    private final InstalledCollections collections;
    private final AuditLog audit;

    public AdminRevalidateController(TrophyRevalidation revalidation, InstalledCollections collections,
                                     AuditLog audit) {
        this.revalidation = revalidation;
        this.collections = collections;
        this.audit = audit;
    }

    @Get(value = "/revalidate", produces = MediaType.TEXT_HTML)
    HttpResponse<?> form(HttpRequest<?> request) {
        return page(request, null, null, HttpStatus.OK);
    }

    @Post(value = "/revalidate", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> revalidate(HttpRequest<?> request, @Body Map<String, String> form) {
        TrophyRevalidation.Filter filter;
        try {
            filter = TrophyRevalidation.Filter.parse(List.of(String.valueOf(form.getOrDefault("state", "rejected"))),
                    form.get("reason"), form.get("collection"), form.get("share"));
        } catch (IllegalArgumentException e) {
            return page(request, e.getMessage(), null, HttpStatus.UNPROCESSABLE_ENTITY);
        }
        String me = Pages.me(request).name();
        int queued = revalidation.revalidate(filter, "revalidation by filter requested by " + me + " ("
                + filter.describe() + ")");
        audit.record(me, "revalidate", filter.describe(), queued + " trophies queued", WebRequests.remote(request));
        return page(request, null, queued + " trophies queued for validation again (" + filter.describe()
                + "). Each gets a new verdict file when it is done.", HttpStatus.OK);
    }

    private HttpResponse<?> page(HttpRequest<?> request, String error, String message, HttpStatus status) {
        Map<String, Object> model = Pages.model(request);
        model.put("error", error);
        model.put("message", message);
        model.put("reasons", Arrays.stream(RejectionReason.values()).map(RejectionReason::wireName).toList());
        model.put("configurationDependent", TrophyRevalidation.CONFIGURATION_DEPENDENT.stream()
                .map(RejectionReason::wireName).toList());
        model.put("collectionNames", collections.catalog().collections().keySet().stream().sorted().toList());
        model.put("notValidatingBecause", collections.notValidatingBecause().orElse(null));
        return Pages.view("revalidate", model).status(status);
    }
}
