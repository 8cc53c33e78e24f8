package org.accomplishments.validator.web;

import io.micronaut.core.io.Writable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.views.ViewsRenderer;
import io.micronaut.views.ViewsRendererLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;

/**
 * Errors as a browser should see them: a page in the site's layout with what happened and where to go, for 403
 * (from {@link SecurityFilter}), 404, 405, 500 and any other error Micronaut answers in JSON. A client of the API
 * ({@code /api/*}, {@code /health}, {@code /prometheus}, or any request whose {@code Accept} does not name
 * {@code text/html}) keeps its JSON. Pages a controller rendered itself (a trophy that does not exist) stay as they are.
 */
@ServerFilter("/**")
public class ErrorPages implements Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorPages.class);
    private final ViewsRendererLocator renderers;

    public ErrorPages(ViewsRendererLocator renderers) {
        this.renderers = renderers;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 50; // outside SecurityFilter: sees every answer, its own included
    }

    /** A browser asking for a page (not the API): it gets HTML errors. */
    static boolean wantsPage(HttpRequest<?> request) {
        String path = SecurityFilter.normalise(request.getPath());
        if (path.startsWith("/api/") || path.equals("/api") || path.equals("/prometheus") || path.startsWith("/health")) {
            return false;
        }
        return request.getHeaders().accept().stream().anyMatch(m -> m.getName().equals(MediaType.TEXT_HTML));
    }

    /** An error for this caller: the error page for a browser, {@code {"message": ...}} for everyone else. */
    MutableHttpResponse<?> respond(HttpRequest<?> request, HttpStatus status, String message) {
        if (wantsPage(request)) {
            return HttpResponse.status(status).contentType(MediaType.TEXT_HTML_TYPE)
                    .body(render(request, status, message));
        }
        return HttpResponse.status(status).contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(new ApiViews.Message(message));
    }

    /** Replaces Micronaut's JSON error answers (no route, wrong method, an exception) by the page, for browsers. */
    @ResponseFilter
    @SuppressWarnings("unchecked")
    public void pageForBrowsers(HttpRequest<?> request, MutableHttpResponse<?> response) {
        int code = response.code();
        if (code < 400 || !wantsPage(request)) {
            return;
        }
        boolean html = response.getContentType().map(t -> t.getName().equals(MediaType.TEXT_HTML)).orElse(false);
        if (html || response.getBody().orElse(null) instanceof io.micronaut.views.ModelAndView<?>) {
            return; // a page already (a controller's own "not found", the login page with its error)
        }
        HttpStatus status;
        try {
            status = HttpStatus.valueOf(code);
        } catch (IllegalArgumentException e) {
            return; // a code without a name: left as it is
        }
        Object body = response.getBody().orElse(null);
        // A sentence of ours (a route's own text or message) is kept; Micronaut's generic JSON gets ours instead.
        String message = body instanceof CharSequence text && !text.isEmpty() ? text.toString()
                : body instanceof ApiViews.Message m ? m.message() : explain(status, request);
        ((MutableHttpResponse<Object>) response).body(render(request, status, message))
                .contentType(MediaType.TEXT_HTML_TYPE);
    }

    static String explain(HttpStatus status, HttpRequest<?> request) {
        return switch (status) {
            case NOT_FOUND -> "There is no page at " + request.getPath() + ".";
            case METHOD_NOT_ALLOWED -> request.getMethod() + " is not what " + request.getPath()
                    + " answers; a link or a button of these pages leads to each action.";
            case INTERNAL_SERVER_ERROR -> "Something went wrong on the server; the log says what. Nothing you typed is "
                    + "lost if you go back.";
            case UNSUPPORTED_MEDIA_TYPE, BAD_REQUEST -> "The request could not be understood; go back and try the "
                    + "form again.";
            default -> status.getReason();
        };
    }

    String render(HttpRequest<?> request, HttpStatus status, String message) {
        Map<String, Object> model = Pages.model(request);
        model.put("code", status.getCode());
        model.put("title", status.getCode() + " " + status.getReason());
        model.put("message", message);
        try {
            Optional<ViewsRenderer> renderer = renderers.resolveViewsRenderer("error", MediaType.TEXT_HTML, model);
            if (renderer.isPresent()) {
                @SuppressWarnings("unchecked")
                Writable page = ((ViewsRenderer<Object, Object>) renderer.get()).render("error", model, request);
                StringWriter out = new StringWriter();
                page.writeTo(out);
                return out.toString();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("rendering the error page failed: {}", e.toString());
        }
        return "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>" + status.getCode() + "</title><p>"
                + escape(message) + "</p></html>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
