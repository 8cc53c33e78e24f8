package org.accomplishments.validator.web;

import io.micronaut.http.HttpRequest;
import org.accomplishments.validator.auth.Principal;

import java.net.InetSocketAddress;

/** What {@link SecurityFilter} attached to a request, for controllers. */
final class WebRequests {
    static final String PRINCIPAL = "validator.principal";

    private WebRequests() {
    }

    /** The caller; the filter lets no request without one reach a non-public route. */
    static Principal principal(HttpRequest<?> request) {
        return request.getAttribute(PRINCIPAL, Principal.class)
                .orElseThrow(() -> new IllegalStateException("no principal: a route is missing from SecurityFilter"));
    }

    static java.util.Optional<Principal> maybePrincipal(HttpRequest<?> request) {
        return request.getAttribute(PRINCIPAL, Principal.class);
    }

    static String remote(HttpRequest<?> request) {
        InetSocketAddress address = request.getRemoteAddress();
        return address == null || address.getAddress() == null ? "?" : address.getAddress().getHostAddress();
    }
}
