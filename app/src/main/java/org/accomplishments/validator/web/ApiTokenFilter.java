package org.accomplishments.validator.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The API is read-only for anonymous callers; every other method needs {@code Authorization: Bearer <token>} with
 * the token of {@code validator.api.token}. With no token configured, writes are refused outright.
 */
@ServerFilter("/api/**")
public class ApiTokenFilter {
    private final byte[] token;

    public ApiTokenFilter(@Value("${validator.api.token:}") String token) {
        this.token = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> requireTokenForWrites(HttpRequest<?> request) {
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return null;
        }
        if (token.length == 0) {
            return HttpResponse.status(HttpStatus.FORBIDDEN).body(Map.of("error",
                    "writes are disabled: set validator.api.token and send it as 'Authorization: Bearer <token>'"));
        }
        String header = request.getHeaders().getAuthorization().orElse("");
        byte[] given = header.startsWith("Bearer ") ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(given, token)) {
            return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                    .header("WWW-Authenticate", "Bearer realm=\"accomplishments-validator\"")
                    .body(Map.of("error", "a valid 'Authorization: Bearer <token>' header is required"));
        }
        return null;
    }
}
