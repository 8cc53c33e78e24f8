package org.accomplishments.validator.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Part;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.issuing.BulkIssuance;
import org.accomplishments.validator.trophy.TextDecoding;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bulk issuance: {@code GET /bulk} (upload form), {@code POST /bulk} (a CSV: dry run, every row's outcome),
 * {@code GET /bulk/{job}} (the outcome, or progress while applying: the page refreshes itself, no script needed),
 * {@code POST /bulk/{job}/apply}.
 */
@Access(Access.Need.ISSUE)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class BulkController {
    /** Rows shown on the page; the counts always cover the whole file. */
    static final int SHOWN_ROWS = 1000;

    private final BulkIssuance bulk;

    public BulkController(BulkIssuance bulk) {
        this.bulk = bulk;
    }

    @Get(value = "/bulk", produces = MediaType.TEXT_HTML)
    HttpResponse<?> form(HttpRequest<?> request) {
        Map<String, Object> model = Pages.model(request);
        return Pages.view("bulk", model);
    }

    /**
     * The CSRF token comes as the form's first part ({@code _csrf}), never in the address: an address ends up in logs,
     * error pages and Referer headers. The security filter leaves this check to the route (it cannot read the body).
     */
    @Post(value = "/bulk", consumes = MediaType.MULTIPART_FORM_DATA, produces = MediaType.TEXT_HTML)
    HttpResponse<?> upload(HttpRequest<?> request, @Part("file") CompletedFileUpload file,
                           @Part("_csrf") @Nullable String csrf) throws IOException {
        if (!WebRequests.csrfMatches(request, csrf)) {
            return HttpResponse.status(HttpStatus.FORBIDDEN).contentType(MediaType.TEXT_PLAIN_TYPE)
                    .body("403 Forbidden: the form's CSRF token is missing or stale; reload the page and try again");
        }
        Principal me = Pages.me(request);
        Optional<String> text = TextDecoding.strictUtf8(file.getBytes()).asOptional();
        String problem = null;
        BulkIssuance.Job job = null;
        if (text.isEmpty()) {
            problem = "the file is not UTF-8 text";
        } else {
            try {
                job = bulk.dryRun(me, file.getFilename(), text.get().startsWith("\uFEFF") ? text.get().substring(1) : text.get());
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (job == null) {
            Map<String, Object> model = Pages.model(request);
            model.put("error", problem);
            return Pages.view("bulk", model).status(HttpStatus.UNPROCESSABLE_ENTITY);
        }
        return Pages.seeOther("/bulk/" + job.id());
    }

    @Get(value = "/bulk/{id}", produces = MediaType.TEXT_HTML)
    HttpResponse<?> job(HttpRequest<?> request, @PathVariable String id) {
        Optional<BulkIssuance.Job> job = bulk.find(Pages.me(request), id);
        Map<String, Object> model = Pages.model(request);
        if (job.isEmpty()) {
            model.put("message", "There is no such bulk job of yours (jobs are kept for 7 days).");
            return Pages.view("notfound", model).status(404);
        }
        List<BulkIssuance.Row> rows = bulk.rows(job.get(), SHOWN_ROWS);
        model.put("job", job.get());
        model.put("rows", rows);
        model.put("truncated", job.get().total() > SHOWN_ROWS);
        model.put("shown", SHOWN_ROWS);
        return Pages.view("bulk-job", model);
    }

    @Post(value = "/bulk/{id}/apply", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> apply(HttpRequest<?> request, @PathVariable String id) {
        Principal me = Pages.me(request);
        Optional<BulkIssuance.Job> job = bulk.find(me, id);
        if (job.isEmpty()) {
            return HttpResponse.notFound();
        }
        bulk.apply(me, job.get(), WebRequests.remote(request));
        return Pages.seeOther("/bulk/" + id);
    }
}
