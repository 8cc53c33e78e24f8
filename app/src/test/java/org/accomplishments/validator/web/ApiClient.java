package org.accomplishments.validator.web;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;

import java.util.List;
import java.util.Map;

/** Small helpers over the blocking client: status codes without exceptions, JSON as maps. */
final class ApiClient {
    private final HttpClient http;
    private final String token;

    /** A client whose {@link #json} and {@link #text} reads send {@code Authorization: Bearer token}. */
    ApiClient(HttpClient http, String token) {
        this.http = http;
        this.token = token;
    }

    /** An anonymous client: reads of anything but the public routes answer 401. */
    ApiClient(HttpClient http) {
        this(http, null);
    }

    private <B> io.micronaut.http.MutableHttpRequest<B> authenticated(io.micronaut.http.MutableHttpRequest<B> request) {
        return token == null ? request : request.bearerAuth(token);
    }

    /** The response, whatever its status (4xx/5xx included); the body as a string. */
    HttpResponse<String> exchange(HttpRequest<?> request) {
        try {
            return http.toBlocking().exchange(request, String.class);
        } catch (HttpClientResponseException e) {
            @SuppressWarnings("unchecked")
            HttpResponse<String> response = (HttpResponse<String>) e.getResponse();
            return response;
        }
    }

    int status(HttpRequest<?> request) {
        return exchange(request).code();
    }

    String body(HttpResponse<?> response) {
        return response.getBody(String.class).orElse("");
    }

    Map<String, Object> json(String uri) {
        return http.toBlocking().retrieve(authenticated(HttpRequest.GET(uri)), Argument.mapOf(String.class, Object.class));
    }

    String text(String uri) {
        return http.toBlocking().retrieve(authenticated(HttpRequest.GET(uri)), String.class);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }

    static long number(Object value) {
        return ((Number) value).longValue();
    }
}
