package org.accomplishments.validator.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.views.ModelAndView;
import org.accomplishments.validator.auth.Principal;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/** Building the pages: every model carries the caller and its CSRF token for the layout's forms. */
final class Pages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Pages() {
    }

    static Map<String, Object> model(HttpRequest<?> request) {
        Map<String, Object> model = new HashMap<>();
        WebRequests.maybePrincipal(request).ifPresent(p -> {
            model.put("me", p);
            model.put("csrf", p.csrf() == null ? "" : p.csrf());
        });
        model.put("fmt", new Formats());
        return model;
    }

    static MutableHttpResponse<ModelAndView<Map<String, Object>>> view(String name, Map<String, Object> model) {
        return HttpResponse.ok(new ModelAndView<>(name, model));
    }

    /** After a POST: see the result page with GET, so a reload does not post again. */
    static MutableHttpResponse<?> seeOther(String location) {
        return HttpResponse.seeOther(URI.create(location));
    }

    static Principal me(HttpRequest<?> request) {
        return WebRequests.principal(request);
    }

    /** Formatting helpers the templates call ({@code ${fmt.time(x)}}). */
    public static final class Formats {
        public String time(Instant instant) {
            return instant == null ? "" : TIME.format(instant);
        }

        public String lower(Enum<?> e) {
            return e == null ? "" : e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        public String lower(String s) {
            return s == null ? "" : s.toLowerCase(java.util.Locale.ROOT);
        }

        public String epoch(Instant instant) {
            return instant == null ? "" : Long.toString(instant.toEpochMilli());
        }
    }
}
