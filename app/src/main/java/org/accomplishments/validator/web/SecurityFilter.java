package org.accomplishments.validator.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.server.filter.FilterBodyParser;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.web.router.RouteMatch;
import io.micronaut.web.router.UriRouteMatch;
import org.accomplishments.validator.auth.ApiTokens;
import org.accomplishments.validator.auth.IssuerScope;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.auth.Role;
import org.accomplishments.validator.auth.Secrets;
import org.accomplishments.validator.auth.Sessions;
import org.accomplishments.validator.auth.TokenScopes;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The one gate in front of every route, pages and API alike. Anonymous callers reach only {@link #PUBLIC}; everyone
 * else is a session (cookie) or a token (bearer), and every state-changing request from a session must carry the
 * session's CSRF token. Controllers find the caller with {@link WebRequests#principal}; the issuing service checks
 * scopes again itself, so a route that forgot would still not award outside a scope.
 */
@ServerFilter("/**")
public class SecurityFilter implements Ordered {
    static final String SESSION_COOKIE = "av_session";
    static final String LOGIN_CSRF_COOKIE = "av_login_csrf";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";

    private final Sessions sessions;
    private final ApiTokens tokens;
    private final FilterBodyParser bodies;
    private final byte[] operatorToken;
    private final io.micronaut.web.router.Router router;
    /** validator.web.cookie-secure: whether a login form posted over plain HTTP lost its cookie to the browser. */
    @Value("${validator.web.cookie-secure:true}")
    boolean cookieSecure = true;

    public SecurityFilter(Sessions sessions, ApiTokens tokens, FilterBodyParser bodies,
                          @Value("${validator.api.token:}") String operatorToken, io.micronaut.web.router.Router router,
                          ErrorPages errors) {
        this.errors = errors;
        this.router = router;
        this.sessions = sessions;
        this.tokens = tokens;
        this.bodies = bodies;
        this.operatorToken = operatorToken == null ? new byte[0] : operatorToken.getBytes(StandardCharsets.UTF_8);
    }

    private static final String STALE_FORM = "the form's CSRF token is missing or stale; reload the page and try again";
    private final ErrorPages errors;

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 100; // before every other filter of ours and of Micronaut's endpoints
    }

    /**
     * Micronaut's own endpoints, whose classes we cannot annotate: their need is declared here, by endpoint class.
     * Every route of ours carries {@link Access} itself.
     */
    static final Map<Class<?>, Access.Need> LIBRARY_ROUTES = Map.of(
            io.micronaut.management.endpoint.health.HealthEndpoint.class, Access.Need.PUBLIC,
            io.micronaut.configuration.metrics.micrometer.prometheus.management.PrometheusEndpoint.class, Access.Need.READ);

    /** What a route needs: the method's {@link Access}, else its class's, else the library table; empty: denied. */
    static Optional<Access.Need> declaredNeed(io.micronaut.core.annotation.AnnotationMetadata metadata,
                                              Class<?> declaringType) {
        Optional<Access.Need> declared = metadata.enumValue(Access.class, Access.Need.class);
        if (declared.isPresent()) {
            return declared;
        }
        return LIBRARY_ROUTES.entrySet().stream().filter(e -> e.getKey().isAssignableFrom(declaringType))
                .map(Map.Entry::getValue).findFirst();
    }

    static Optional<Access.Need> declaredNeed(io.micronaut.web.router.RouteInfo<?> route) {
        if (route instanceof io.micronaut.web.router.MethodBasedRouteInfo<?, ?> method) {
            return declaredNeed(method.getTargetMethod().getAnnotationMetadata(),
                    method.getTargetMethod().getDeclaringType());
        }
        return Optional.empty();
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING) // session and token look-ups query the database
    @Nullable
    public HttpResponse<?> guard(HttpRequest<?> request, @Nullable RouteMatch<?> route) {
        // Decide by the route the router matched, not by the raw path: "/%61dmin/users" or "/x/../admin" reach the
        // admin controller under its own declaration, so no spelling of a path slips past the role check.
        HttpMethod method = request.getMethod();
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
        // No match can mean a route refused the request's content type or Accept (415, 406): judge it by the
        // route its method and path name, so those answers too come only after the route's own check.
        io.micronaut.web.router.RouteInfo<?> info = route != null ? route.getRouteInfo()
                : router.find(method, request.getPath(), null).findFirst().map(m -> (io.micronaut.web.router.RouteInfo<?>) m.getRouteInfo())
                .orElse(null);
        Optional<Access.Need> need = info == null ? Optional.empty() : declaredNeed(info);
        Optional<Principal> principal;
        String authorization = request.getHeaders().getAuthorization().orElse(null);
        if (authorization != null) {
            principal = bearer(authorization);
            if (principal.isEmpty()) {
                return unauthorized(request, "the bearer token is not valid (revoked, or never issued)");
            }
        } else {
            principal = request.getCookies().findCookie(SESSION_COOKIE).flatMap(c -> sessions.find(c.getValue()));
        }
        principal.ifPresent(p -> request.setAttribute(WebRequests.PRINCIPAL, p));
        if (need.isPresent() && need.get() == Access.Need.PUBLIC) {
            // The public forms (login, setup) carry a double-submit CSRF token instead of a session's.
            return read ? null : checkLoginCsrf(request);
        }
        if (principal.isEmpty()) {
            return unauthorized(request, "log in, or send 'Authorization: Bearer <token>'");
        }
        Principal who = principal.get();
        if (info == null) {
            return null; // no route at this path: nothing runs, the router answers 404 or 405
        }
        if (!read && who.via() == Principal.Via.SESSION && isMultipart(request)
                && UPLOADS_WITH_CSRF_IN_BODY.contains(request.getPath())) {
            // An upload's CSRF token is a part of its body, which a filter cannot read without buffering the file:
            // the route checks it itself (WebRequests.csrfMatches). Any other multipart route is refused below.
            request.setAttribute(WebRequests.CSRF_IN_BODY, Boolean.TRUE);
        } else if (!read && who.via() == Principal.Via.SESSION) {
            Optional<String> given = csrfOf(request);
            if (given.isEmpty() || !Secrets.equal(given.get(), who.csrf())) {
                return errors.respond(request, HttpStatus.FORBIDDEN, STALE_FORM);
            }
        }
        if (need.isEmpty() || !allowed(who, need.get())) {
            return errors.respond(request, HttpStatus.FORBIDDEN, who.name() + " (" + who.role().wireName()
                            + (who.via() == Principal.Via.SESSION ? "" : ", token scopes " + who.tokenScopes().display())
                            + ") may not do this" + (need.isEmpty() ? " (the route declares no access)" : ""));
        }
        return null;
    }

    /** Whether the caller has what the route declared it needs. */
    static boolean allowed(Principal who, Access.Need need) {
        return switch (need) {
            case PUBLIC -> true;
            case READ -> who.mayRead();
            case ISSUE -> who.mayIssue();
            case STORE -> who.maySubmitToStore();
            case OPERATE -> who.mayOperate();
            case SESSION -> who.via() == Principal.Via.SESSION;
            case ADMIN_SESSION -> who.isAdmin() && who.via() == Principal.Via.SESSION;
        };
    }

    private Optional<Principal> bearer(String authorization) {
        if (!authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        String token = authorization.substring(7).strip();
        if (operatorToken.length > 0 && java.security.MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                operatorToken)) {
            return Optional.of(new Principal("operator", Role.ADMIN, IssuerScope.parse(""), Principal.Via.OPERATOR_TOKEN,
                    new TokenScopes(EnumSet.allOf(TokenScopes.Scope.class)), null, null));
        }
        return tokens.authenticate(token);
    }

    /** Uploads whose route checks the CSRF token of its body (never the address: it ends up in logs and pages). */
    static final java.util.Set<String> UPLOADS_WITH_CSRF_IN_BODY = java.util.Set.of("/bulk");

    private static boolean isMultipart(HttpRequest<?> request) {
        return request.getContentType().map(t -> t.getName().equals(MediaType.MULTIPART_FORM_DATA)).orElse(false);
    }

    /** The CSRF token of a request: header or form field (never the query string). */
    private Optional<String> csrfOf(HttpRequest<?> request) {
        Optional<String> header = request.getHeaders().get(CSRF_HEADER, String.class);
        if (header.isPresent()) {
            return header;
        }
        MediaType type = request.getContentType().orElse(null);
        if (type != null && type.getName().equals(MediaType.APPLICATION_FORM_URLENCODED)) {
            try {
                Map<String, Object> form = bodies.parseBody(request).get(30, TimeUnit.SECONDS);
                Object value = form.get(CSRF_FIELD);
                return value == null ? Optional.empty() : Optional.of(value.toString());
            } catch (Exception e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Login and setup forms: the double-submit cookie set with the form must match the form's field. */
    private HttpResponse<?> checkLoginCsrf(HttpRequest<?> request) {
        Optional<String> cookie = request.getCookies().findCookie(LOGIN_CSRF_COOKIE).map(Cookie::getValue);
        if (cookie.isEmpty() && InsecureCookies.explain(request, cookieSecure).isPresent()) {
            // Not a forgery but a browser that dropped the Secure cookie of a plain-HTTP page: back to the form,
            // which says why and what to do instead (nothing of the post is looked at).
            String form = normalise(request.getPath()).equals("/setup") ? "/setup" : "/login";
            return HttpResponse.seeOther(URI.create(form + "?cookies=dropped"));
        }
        Optional<String> given = csrfOf(request);
        if (cookie.isEmpty() || given.isEmpty() || !Secrets.equal(cookie.get(), given.get())) {
            return errors.respond(request, HttpStatus.FORBIDDEN, STALE_FORM);
        }
        return null;
    }

    private static HttpResponse<?> unauthorized(HttpRequest<?> request, String why) {
        String path = normalise(request.getPath());
        boolean api = path.startsWith("/api/") || path.equals("/prometheus") || path.startsWith("/health");
        boolean browser = request.getHeaders().accept().stream().anyMatch(m -> m.getName().equals(MediaType.TEXT_HTML));
        if (!api && browser && request.getMethod() == HttpMethod.GET) {
            String next = request.getUri().getRawPath() + (request.getUri().getRawQuery() == null ? ""
                    : "?" + request.getUri().getRawQuery());
            return HttpResponse.seeOther(URI.create("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
        }
        return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                .header("WWW-Authenticate", "Bearer realm=\"accomplishments-validator\"")
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(Map.of("error", "authentication required: " + why));
    }

    /** Paths as the router matches them: no trailing slash (except the root), no duplicate slashes. */
    static String normalise(String path) {
        String p = path.replaceAll("/{2,}", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** Headers that keep pages from being framed, sniffed, cached or leaking their address. */
    @ResponseFilter
    @SuppressWarnings("unchecked")
    public void secureHeaders(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (response.getBody().orElse(null) instanceof io.micronaut.management.health.indicator.HealthResult health
                && !WebRequests.maybePrincipal(request).map(Principal::mayRead).orElse(false)) {
            // Health's details (paths, the JDBC URL, disk sizes, the reason nothing is validated) are for operators:
            // a session or a token with the read scope. Anyone else gets exactly {"status": ...} (and its HTTP code).
            // Done here, not with endpoints.health.details-visible: without micronaut-security the endpoint never
            // sees a principal.
            ((MutableHttpResponse<Object>) response).body(Map.of("status", health.getStatus().getName()));
        }
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        response.header("Referrer-Policy", "same-origin");
        response.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        if (!response.getHeaders().contains("Cache-Control")) {
            response.header("Cache-Control", "no-store");
        }
    }
}
