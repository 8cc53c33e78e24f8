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
import org.accomplishments.validator.collection.InstalledCollections;
import org.accomplishments.validator.collection.store.CollectionInstaller;
import org.accomplishments.validator.collection.store.Reason;
import org.accomplishments.validator.collection.store.StoreIndex;
import org.accomplishments.validator.collection.store.StoreRefusal;
import org.accomplishments.validator.collection.store.StoreSettings;
import org.accomplishments.validator.validation.ValidationPipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Installing collections from the store index of {@code validator.store.index-url}, verified with the pinned
 * {@code validator.store.key-file}: {@code POST /api/collections/install} {@code {"id", "version"?}} (admin, token with
 * the write scope) and the admin page {@code /admin/collections}. Then the collections are reloaded at once.
 */
@Controller
@Access(Access.Need.ADMIN_SESSION)
@ExecuteOn(TaskExecutors.BLOCKING)
public class CollectionInstallController {
    private final CollectionInstaller installer;
    private final StoreSettings settings;
    private final InstalledCollections collections;
    private final ValidationPipeline pipeline;

    public CollectionInstallController(CollectionInstaller installer, StoreSettings settings,
                                       InstalledCollections collections, ValidationPipeline pipeline) {
        this.installer = installer;
        this.settings = settings;
        this.collections = collections;
        this.pipeline = pipeline;
    }

    @Access(Access.Need.OPERATE)
    @Post(value = "/api/collections/install", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> install(@Body Map<String, Object> body) {
        try {
            CollectionInstaller.Installed installed = install(StoreController.string(body, "id"),
                    StoreController.string(body, "version"));
            return HttpResponse.ok(installedJson(installed));
        } catch (StoreRefusal refusal) {
            return HttpResponse.<String>status(HttpStatus.UNPROCESSABLE_ENTITY)
                    .body(StoreController.reasonsJson(refusal.reasons()));
        }
    }

    @Get(value = "/admin/collections", produces = MediaType.TEXT_HTML)
    HttpResponse<?> page(HttpRequest<?> request) {
        return Pages.view("collections", model(request, null, List.of()));
    }

    @Post(value = "/admin/collections/install", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    HttpResponse<?> installForm(HttpRequest<?> request, @Body Map<String, String> form) {
        String version = form.getOrDefault("version", "");
        try {
            CollectionInstaller.Installed installed = install(form.get("id"), version.isBlank() ? null : version);
            return Pages.view("collections", model(request, "Installed " + installed.id() + " " + installed.version()
                    + " (commit " + installed.commit() + ")", List.of()));
        } catch (StoreRefusal refusal) {
            return Pages.view("collections", model(request, null, refusal.reasons()))
                    .status(HttpStatus.UNPROCESSABLE_ENTITY);
        }
    }

    private CollectionInstaller.Installed install(@Nullable String id, @Nullable String version) throws StoreRefusal {
        if (id == null || id.isBlank()) {
            throw new StoreRefusal("not-in-index", "'id' is missing");
        }
        CollectionInstaller.Installed installed = installer.install(indexUrl(), keys(), id.strip(),
                version == null ? null : version.strip());
        collections.reload();
        pipeline.wake();
        return installed;
    }

    private String indexUrl() throws StoreRefusal {
        if (settings.getIndexUrl().isBlank()) {
            throw new StoreRefusal("no-index", "validator.store.index-url is not set");
        }
        return settings.getIndexUrl();
    }

    private org.accomplishments.validator.collection.store.IndexSignatures.Verifier keys() throws StoreRefusal {
        if (settings.getKeyFile().isBlank()) {
            throw new StoreRefusal("no-pinned-key", "validator.store.key-file is not set: the index cannot be verified");
        }
        try {
            return org.accomplishments.validator.signing.StoreIndexSignatures.pinned(Path.of(settings.getKeyFile()));
        } catch (Exception e) {
            throw new StoreRefusal("no-pinned-key", "cannot read validator.store.key-file: " + e.getMessage());
        }
    }

    private Map<String, Object> model(HttpRequest<?> request, @Nullable String message, List<Reason> reasons) {
        Map<String, Object> model = Pages.model(request);
        model.put("message", message);
        model.put("reasons", reasons);
        model.put("indexUrl", settings.getIndexUrl());
        List<CollectionInstaller.Installed> installed;
        Optional<StoreIndex> index;
        try {
            installed = installer.list();
            index = settings.getIndexUrl().isBlank() ? Optional.empty() : installer.cached(settings.getIndexUrl());
        } catch (StoreRefusal e) {
            installed = List.of();
            index = Optional.empty();
        }
        model.put("installed", installed);
        model.put("available", index.map(i -> i.search("")).orElse(List.of()));
        return model;
    }

    static String installedJson(CollectionInstaller.Installed i) {
        var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        node.put("id", i.id()).put("version", i.version()).put("sha256", i.sha256()).put("commit", i.commit())
                .put("source", i.source()).put("index", i.index()).put("installed-at", i.installedAt().toString());
        return node.toString();
    }
}
