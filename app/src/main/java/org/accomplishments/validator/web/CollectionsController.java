package org.accomplishments.validator.web;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.collection.AccomplishmentCatalog;
import org.accomplishments.validator.collection.InstalledCollections;
import org.accomplishments.validator.validation.ValidationPipeline;

/** {@code POST /api/collections/reload} (token): read the collection roots again now. */
@Access(Access.Need.OPERATE)
@Controller("/api/collections")
@ExecuteOn(TaskExecutors.BLOCKING)
public class CollectionsController {
    private final InstalledCollections collections;
    private final ValidationPipeline pipeline;

    public CollectionsController(InstalledCollections collections, ValidationPipeline pipeline) {
        this.collections = collections;
        this.pipeline = pipeline;
    }

    @Post("/reload")
    ApiViews.Collections reload() {
        AccomplishmentCatalog catalog = collections.reload();
        pipeline.wake();
        return ApiViews.Collections.of(collections, catalog);
    }
}
