package org.accomplishments.validator.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.accomplishments.validator.audit.AuditLog;
import org.accomplishments.validator.auth.Accounts;
import org.accomplishments.validator.auth.AuthSettings;
import org.accomplishments.validator.auth.FirstAdmin;
import org.accomplishments.validator.auth.LoginOutcome;
import org.accomplishments.validator.auth.Principal;
import org.accomplishments.validator.auth.Secrets;
import org.accomplishments.validator.auth.Sessions;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code /login}, {@code /logout} and {@code /setup} (the first administrator, with the one-time token). */
@Access(Access.Need.PUBLIC)
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class LoginController {
    private final Accounts accounts;
    private final Sessions sessions;
    private final FirstAdmin firstAdmin;
    private final AuthSettings settings;
    private final AuditLog audit;

    public LoginController(Accounts accounts, Sessions sessions, FirstAdmin firstAdmin, AuthSettings settings,
                           AuditLog audit) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.firstAdmin = firstAdmin;
        this.settings = settings;
        this.audit = audit;
    }

    @Get(value = "/login", produces = MediaType.TEXT_HTML)
    HttpResponse<?> loginPage(HttpRequest<?> request, @QueryValue @Nullable String next) {
        return loginForm(request, next, null, HttpStatus.OK);
    }

    @Post(value = "/login", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> login(HttpRequest<?> request, @Body Map<String, String> form) {
        LoginOutcome outcome = accounts.login(form.get("username"), form.get("password"), WebRequests.remote(request));
        if (outcome instanceof LoginOutcome.LoggedIn in) {
            return Pages.seeOther(safeNext(form.get("next"))).cookie(sessionCookie(in.cookieValue(), settings.getSessionMaxAge()));
        }
        String error;
        HttpStatus status = HttpStatus.UNAUTHORIZED;
        if (outcome instanceof LoginOutcome.Locked locked) {
            error = "Too many wrong passwords: this account is locked until " + new Pages.Formats().time(locked.until())
                    + ". An administrator can unlock it.";
        } else if (outcome instanceof LoginOutcome.Throttled) {
            error = "Too many attempts from your address: wait a minute.";
            status = HttpStatus.TOO_MANY_REQUESTS;
        } else {
            error = "Wrong user name or password.";
        }
        return loginForm(request, form.get("next"), error, status);
    }

    @Access(Access.Need.SESSION)
    @Post(value = "/logout", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> logout(HttpRequest<?> request) {
        Principal me = Pages.me(request);
        sessions.end(me);
        audit.record(me.name(), "logout", me.name(), null, WebRequests.remote(request));
        return Pages.seeOther("/login").cookie(sessionCookie("", Duration.ZERO));
    }

    @Get(value = "/setup", produces = MediaType.TEXT_HTML)
    HttpResponse<?> setupPage(HttpRequest<?> request) {
        return setupForm(request, null, HttpStatus.OK);
    }

    @Post(value = "/setup", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> setup(HttpRequest<?> request, @Body Map<String, String> form) {
        Optional<String> refused = firstAdmin.setUp(form.get("token"), form.get("username"), form.get("password"),
                WebRequests.remote(request));
        if (refused.isPresent()) {
            return setupForm(request, refused.get(), HttpStatus.BAD_REQUEST);
        }
        return Pages.seeOther("/login");
    }

    private HttpResponse<?> loginForm(HttpRequest<?> request, String next, String error, HttpStatus status) {
        String csrf = Secrets.random();
        Map<String, Object> model = Pages.model(request);
        model.put("loginCsrf", csrf);
        model.put("next", safeNext(next));
        model.put("error", error);
        model.put("setupOpen", firstAdmin.setupOpen());
        model.put("insecureCookies", InsecureCookies.explain(request, settings.isCookieSecure()).orElse(null));
        return Pages.view("login", model).status(status).cookie(loginCsrfCookie(csrf));
    }

    private HttpResponse<?> setupForm(HttpRequest<?> request, String error, HttpStatus status) {
        String csrf = Secrets.random();
        Map<String, Object> model = Pages.model(request);
        model.put("loginCsrf", csrf);
        model.put("error", error);
        model.put("setupOpen", firstAdmin.setupOpen());
        model.put("insecureCookies", InsecureCookies.explain(request, settings.isCookieSecure()).orElse(null));
        return Pages.view("setup", model).status(status).cookie(loginCsrfCookie(csrf));
    }

    /**
     * Only a same-site relative path, so a crafted link cannot send people elsewhere after they log in, and nothing
     * the redirect cannot carry: printable ASCII only (a real path arrives percent-encoded; a space, TAB or U+3000
     * would make the Location header invalid), no backslash (browsers read {@code /\host} as {@code //host}),
     * no scheme or authority. Anything else: {@code /}.
     */
    static String safeNext(String next) {
        if (next == null || next.length() > 500 || !next.startsWith("/") || next.startsWith("//")) {
            return "/";
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '\\') {
                return "/";
            }
        }
        try {
            java.net.URI uri = new java.net.URI(next);
            if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getRawPath() == null
                    || !uri.getRawPath().startsWith("/")) {
                return "/";
            }
        } catch (java.net.URISyntaxException e) {
            return "/";
        }
        return next;
    }

    private Cookie sessionCookie(String value, Duration maxAge) {
        return Cookie.of(SecurityFilter.SESSION_COOKIE, value).path("/").httpOnly(true).secure(settings.isCookieSecure())
                .sameSite(SameSite.Strict).maxAge(maxAge);
    }

    private Cookie loginCsrfCookie(String value) {
        return Cookie.of(SecurityFilter.LOGIN_CSRF_COOKIE, value).path("/").httpOnly(true)
                .secure(settings.isCookieSecure()).sameSite(SameSite.Strict).maxAge(Duration.ofHours(1));
    }
}
