package org.accomplishments.validator.web;

import io.micronaut.http.HttpRequest;
import org.accomplishments.validator.auth.Principal;

import java.net.InetSocketAddress;

/** What {@link SecurityFilter} attached to a request, for controllers. */
final class WebRequests {
    static final String PRINCIPAL = "validator.principal";
    /** Set by the security filter on an upload whose route must check the CSRF token in the body. */
    static final String CSRF_IN_BODY = "validator.csrf-in-body";

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

    /**
     * For an upload the filter left to its route: true when the body's {@code _csrf} is the session's token (or the
     * caller is not a session, which needs none).
     */
    static boolean csrfMatches(HttpRequest<?> request, String given) {
        if (!request.getAttribute(CSRF_IN_BODY, Boolean.class).orElse(false)) {
            return true; // checked by the filter already (header), or a bearer token
        }
        Principal who = principal(request);
        return given != null && who.csrf() != null
                && org.accomplishments.validator.auth.Secrets.equal(given, who.csrf());
    }
}
