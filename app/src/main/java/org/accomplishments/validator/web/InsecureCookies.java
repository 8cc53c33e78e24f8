package org.accomplishments.validator.web;

import io.micronaut.http.HttpRequest;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The login and setup pages reached over plain HTTP at an address that is not this machine: browsers keep Secure
 * cookies only from HTTPS pages and from {@code localhost}, so the form's double-submit cookie never comes back,
 * and without this the login would end in "the form's CSRF token is missing or stale". The pages say what is
 * going on and what to do instead (docs/operations.md: HTTPS on 443, or an SSH tunnel).
 */
final class InsecureCookies {
    /** A Host header as browsers send it: a name, an IPv4 address or a bracketed IPv6 one, and maybe a port. */
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");

    private InsecureCookies() {
    }

    /** Why logging in cannot work from this request's page, or empty when the browser keeps the cookies. */
    static Optional<String> explain(HttpRequest<?> request, boolean cookieSecure) {
        if (!cookieSecure || request.isSecure() || forwardedOverHttps(request)) {
            return Optional.empty();
        }
        String hostHeader = request.getHeaders().get("Host");
        var m = hostHeader == null ? null : HOST.matcher(hostHeader.strip());
        String host = m != null && m.matches() ? m.group(1) : null;
        if (host != null && isLoopbackName(host)) {
            return Optional.empty(); // browsers treat http://localhost and http://127.0.0.1 as secure contexts
        }
        String shown = host == null ? "this address" : host;
        return Optional.of("This page came over plain HTTP (http://" + shown + "/). The service's login cookies are "
                + "marked Secure, so your browser does not send them back over plain HTTP, and logging in from this "
                + "page cannot work. Open https://" + shown + "/login instead (HTTPS on port 443, see "
                + "docs/operations.md), or reach the service through an SSH tunnel: ssh -L 8443:127.0.0.1:8443 "
                + "debian@" + shown + " and then https://localhost:8443/login (http://localhost:8080/login when the "
                + "service has no TLS). Only if plain HTTP across a network is really what you want, set "
                + "validator.web.cookie-secure: false (passwords then cross it in clear text).");
    }

    /** A TLS proxy in front that says the browser's request was HTTPS (then the browser keeps Secure cookies). */
    private static boolean forwardedOverHttps(HttpRequest<?> request) {
        String proto = request.getHeaders().get("X-Forwarded-Proto");
        if (proto != null && proto.strip().equalsIgnoreCase("https")) {
            return true;
        }
        String forwarded = request.getHeaders().get("Forwarded");
        return forwarded != null && forwarded.toLowerCase(Locale.ROOT).replace(" ", "").contains("proto=https");
    }

    static boolean isLoopbackName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("[::1]")
                || h.matches("127(\\.[0-9]{1,3}){3}");
    }
}
