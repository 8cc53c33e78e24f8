package org.accomplishments.validator.share.syncthing;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Syncthing's REST API over the JDK's HTTP client: blocking like the port, a time limit on every request, the key
 * in {@code X-API-Key} (the only header 1.19 accepts). Bodies are JSON trees; nothing here knows what they mean.
 */
final class SyncthingClient {
    /** Larger answers come from nothing we talk to: a misdirected URL must not fill the heap. */
    private static final int MAX_BODY = 64 * 1024 * 1024;

    private final URI base;
    private final Supplier<String> apiKey;
    private final JsonMapper json;
    private final Duration callTimeout;
    private final HttpClient http;

    SyncthingClient(URI base, Supplier<String> apiKey, JsonMapper json, Duration callTimeout) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.apiKey = apiKey;
        this.json = json;
        this.callTimeout = callTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(callTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    URI base() {
        return base;
    }

    static String query(Map<String, ?> parameters) {
        StringBuilder out = new StringBuilder();
        parameters.forEach((name, value) -> {
            List<?> values = value instanceof List<?> list ? list : List.of(value);
            for (Object v : values) {
                out.append(out.length() == 0 ? '?' : '&').append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
            }
        });
        return out.toString();
    }

    JsonNode get(String path) throws SyncthingException {
        return call("GET", path, null, callTimeout);
    }

    JsonNode get(String path, Duration timeout) throws SyncthingException {
        return call("GET", path, null, timeout);
    }

    JsonNode post(String path, Object body) throws SyncthingException {
        return call("POST", path, body, callTimeout);
    }

    JsonNode put(String path, Object body) throws SyncthingException {
        return call("PUT", path, body, callTimeout);
    }

    JsonNode patch(String path, Object body) throws SyncthingException {
        return call("PATCH", path, body, callTimeout);
    }

    JsonNode delete(String path) throws SyncthingException {
        return call("DELETE", path, null, callTimeout);
    }

    private JsonNode call(String method, String path, Object body, Duration timeout) throws SyncthingException {
        String key = apiKey.get();
        if (key == null || key.isBlank()) {
            throw new SyncthingException("no API key (set validator.shares.syncthing.api-key or api-key-file)", 401,
                    null);
        }
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new SyncthingException("cannot encode the request to " + path + ": " + e.getMessage(), 0, e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("X-API-Key", key.strip()).header("Content-Type", "application/json")
                .method(method, publisher).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SyncthingException("Syncthing at " + base + " did not answer " + method + " " + endpoint(path)
                    + ": " + describe(e), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncthingException("interrupted while calling Syncthing", 0, e);
        }
        byte[] bytes = response.body();
        int status = response.statusCode();
        if (status / 100 != 2) {
            String text = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8).strip();
            String why = status == 403 || status == 401 ? "the API key was refused" : text;
            throw new SyncthingException("Syncthing answered " + method + " " + endpoint(path) + " with HTTP " + status
                    + ": " + why, status, null);
        }
        if (bytes.length == 0) {
            return JsonNode.nullNode();
        }
        if (bytes.length > MAX_BODY) {
            throw new SyncthingException("Syncthing's answer to " + endpoint(path) + " is over " + MAX_BODY + " bytes",
                    status, null);
        }
        try {
            return json.readValue(bytes, Argument.of(JsonNode.class));
        } catch (IOException e) {
            throw new SyncthingException("Syncthing's answer to " + endpoint(path) + " is not JSON: " + e.getMessage(),
                    status, e);
        }
    }

    private static String endpoint(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
