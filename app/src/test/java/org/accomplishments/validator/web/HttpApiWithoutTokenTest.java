package org.accomplishments.validator.web;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import org.accomplishments.validator.validation.PipelineScenario;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With no {@code validator.api.token} configured (the default), an empty or made-up bearer token is no token. */
@MicronautTest(transactional = false)
class HttpApiWithoutTokenTest extends PipelineScenario {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    Router router;

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of();
    }

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("validator.api.token", "");
    }

    @Test
    void everyWriteIsRefusedWhateverTheCallerSends() {
        ApiClient api = new ApiClient(http);
        List<UriRouteInfo<?, ?>> writes = router.uriRoutes()
                .filter(r -> !Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS).contains(r.getHttpMethod()))
                .toList();
        assertFalse(writes.isEmpty());
        for (UriRouteInfo<?, ?> route : writes) {
            String uri = route.getUriMatchTemplate().toString().replaceAll("\\{[^}]*}", "1");
            // The login and setup forms are public but need their CSRF cookie and field: 403 without.
            int expected = SecurityFilter.declaredNeed(route).orElse(null) == Access.Need.PUBLIC ? 403 : 401;
            HttpResponse<String> none = api.exchange(HttpRequest.create(route.getHttpMethod(), uri).body(""));
            assertEquals(expected, none.code(), uri);
            // An empty bearer token must not match the empty configured token.
            assertEquals(401, api.status(HttpRequest.create(route.getHttpMethod(), uri).body("")
                    .header("Authorization", "Bearer ")), uri);
            assertEquals(401, api.status(HttpRequest.create(route.getHttpMethod(), uri).body("").bearerAuth("x")), uri);
        }
    }

    @Test
    void onlyTheDocumentedPublicRoutesAnswerAnonymousReads() {
        ApiClient api = new ApiClient(http);
        assertEquals(401, api.status(HttpRequest.GET("/api/status")));
        assertEquals(401, api.status(HttpRequest.GET("/api/trophies")));
        assertEquals(401, api.status(HttpRequest.GET("/prometheus")));
        assertEquals(200, api.status(HttpRequest.GET("/api/keys/current")));
        assertEquals(200, api.status(HttpRequest.GET("/api/revocations")));
        assertEquals(200, api.status(HttpRequest.GET("/health")));
    }
}
