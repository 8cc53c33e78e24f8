package org.accomplishments.validator.web;

import io.micronaut.core.annotation.Nullable;
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
import org.accomplishments.validator.collection.store.CollectionStore;
import org.accomplishments.validator.collection.store.Reason;
import org.accomplishments.validator.collection.store.StoreIndex;
import org.accomplishments.validator.collection.store.StoreRefusal;

import java.util.List;
import java.util.Map;

/**
 * The collection store (docs/collections.md). Public: {@code GET /api/store/index} (the index, exact signed bytes)
 * and {@code GET /api/store/index.asc} (its detached armored signature). Store role or admin:
 * {@code POST /api/store/submissions} {@code {"source", "ref"}} (201 with the entry, 422 with every reason) and the
 * page {@code /store} (submit, and the index as a table). Who may call each route is declared with {@link Access}.
 */
@Controller
@Access(Access.Need.STORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class StoreController {
    private final CollectionStore store;

    public StoreController(CollectionStore store) {
        this.store = store;
    }

    @Access(Access.Need.PUBLIC)
    @Get(value = "/api/store/index", produces = MediaType.APPLICATION_JSON)
    HttpResponse<byte[]> index() {
        return HttpResponse.ok(store.published().json()).header("Cache-Control", "no-cache");
    }

    @Access(Access.Need.PUBLIC)
    @Get(value = "/api/store/index.asc", produces = "application/pgp-signature")
    HttpResponse<String> signature() {
        return HttpResponse.ok(store.published().signature()).header("Cache-Control", "no-cache");
    }

    @Post(value = "/api/store/submissions", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> submit(@Body Map<String, Object> body) {
        try {
            StoreIndex.Entry entry = store.submit(string(body, "source"), string(body, "ref"));
            return HttpResponse.<String>status(HttpStatus.CREATED).body(StoreIndex.entryJson(entry).toString());
        } catch (StoreRefusal refusal) {
            return HttpResponse.<String>status(HttpStatus.UNPROCESSABLE_ENTITY).body(reasonsJson(refusal.reasons()));
        }
    }

    @Get(value = "/store", produces = MediaType.TEXT_HTML)
    HttpResponse<?> page(HttpRequest<?> request) {
        return Pages.view("store", model(request, "", "main", null, null, null));
    }

    @Post(value = "/store", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> submitForm(HttpRequest<?> request, @Body Map<String, String> form) {
        String source = form.getOrDefault("source", "");
        String ref = form.getOrDefault("ref", "");
        try {
            StoreIndex.Entry entry = store.submit(source, ref);
            return Pages.view("store", model(request, source, ref, entry, null, null));
        } catch (StoreRefusal refusal) {
            return Pages.view("store", model(request, source, ref, null, refusal.reasons(),
                    "refused: " + refusal.reasons().size() + " reason(s)")).status(HttpStatus.UNPROCESSABLE_ENTITY);
        }
    }

    private Map<String, Object> model(HttpRequest<?> request, String source, String ref, @Nullable StoreIndex.Entry accepted,
                                      @Nullable List<Reason> reasons, @Nullable String error) {
        Map<String, Object> model = Pages.model(request);
        CollectionStore.Published published = store.published();
        model.put("index", published.index());
        model.put("signedBy", published.signedBy());
        model.put("source", source);
        model.put("ref", ref);
        model.put("accepted", accepted);
        model.put("reasons", reasons == null ? List.of() : reasons);
        model.put("error", error);
        return model;
    }

    static String string(Map<String, Object> body, String field) {
        Object value = body == null ? null : body.get(field);
        return value instanceof String s ? s : null;
    }

    static String reasonsJson(List<Reason> reasons) {
        var root = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        var list = root.putArray("reasons");
        reasons.forEach(r -> list.addObject().put("reason", r.reason()).put("detail", r.detail()));
        return root.toString();
    }
}
