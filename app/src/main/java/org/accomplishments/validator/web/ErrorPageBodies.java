package org.accomplishments.validator.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.HtmlErrorResponseBodyProvider;
import jakarta.inject.Singleton;

/**
 * The HTML Micronaut sends a browser for its own errors (no route: 404, wrong method: 405, an exception: 500, a
 * request it cannot bind: 400): our error page in the site's layout instead of its generic one. Micronaut picks HTML
 * or JSON by the request's {@code Accept}, so scripts keep their JSON.
 */
@Singleton
@Replaces(HtmlErrorResponseBodyProvider.class) // Micronaut's default, which is package-private
class ErrorPageBodies implements HtmlErrorResponseBodyProvider {
    private final ErrorPages pages;

    ErrorPageBodies(ErrorPages pages) {
        this.pages = pages;
    }

    @Override
    public String body(ErrorContext context, HttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        String message = ErrorPages.explain(status, context.getRequest());
        if (status == HttpStatus.BAD_REQUEST) {
            message = context.getErrors().stream().map(Error::getMessage).findFirst()
                    .map(m -> "The request could not be understood: " + m).orElse(message);
        }
        return pages.render(context.getRequest(), status, message);
    }
}
