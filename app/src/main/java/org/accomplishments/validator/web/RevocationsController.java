package org.accomplishments.validator.web;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.issuing.RevocationPublisher;

/**
 * {@code GET /api/revocations} (public): the revoked trophy signatures, cleartext-signed by the validation key, for
 * {@code verify --revocations} and any client that pins the key. Format in docs/web-ui.md.
 */
@Access(Access.Need.PUBLIC)
@Controller("/api/revocations")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RevocationsController {
    private final RevocationPublisher publisher;

    public RevocationsController(RevocationPublisher publisher) {
        this.publisher = publisher;
    }

    @Get
    @Produces("text/plain; charset=utf-8")
    String list() {
        return publisher.armored();
    }
}
