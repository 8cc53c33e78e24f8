package org.accomplishments.validator.web;

import io.micronaut.http.HttpMethod;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import org.accomplishments.validator.auth.SessionRepository;
import org.accomplishments.validator.auth.SessionRow;
import org.accomplishments.validator.validation.TrophyState;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI is the appliance's only interactive surface: nobody gets in without a session or a token, no issuer
 * awards outside their scope, no form works without its CSRF token, an ended session stays ended, guessing
 * passwords gets slow, and what strangers write (share names, owners, notes, script output) is shown, never run.
 */
@MicronautTest(transactional = false)
class WebSecurityTest extends WebScenario {

    @Inject
    Router router;
    @Inject
    SessionRepository sessionRows;
    @Inject
    org.accomplishments.validator.collection.InstalledCollections installed;

    /** Every route the router knows, with its path variables filled in, as an anonymous caller sends it. */
    @Test
    void everyRouteIsDeniedWithoutASessionOrTokenExceptTheDocumentedPublicOnes() {
        List<UriRouteInfo<?, ?>> routes = router.uriRoutes().toList();
        assertTrue(routes.size() > 30, "the router's routes: " + routes.size());
        Set<String> answeredAnonymously = new TreeSet<>();
        WebSession anonymous = browser();
        for (UriRouteInfo<?, ?> route : routes) {
            String uri = route.getUriMatchTemplate().toString().replaceAll("\\{[^}]*}", "1");
            HttpMethod method = route.getHttpMethod();
            for (String accept : List.of("application/json", "text/html")) {
                HttpResponse<String> response = anonymous.send(HttpRequest.newBuilder(URI.create(base() + uri))
                        .header("Accept", accept).method(method.name(), HttpRequest.BodyPublishers.noBody()));
                int code = response.statusCode();
                boolean refused = code == 401 || code == 403
                        || (code == 303 && response.headers().firstValue("Location").orElse("").startsWith("/login"));
                if (!refused) {
                    answeredAnonymously.add(method + " " + uri);
                }
                if (code == 303) {
                    assertEquals("text/html", accept, "only browsers are sent to the login page: " + uri);
                }
            }
        }
        Set<String> expected = new TreeSet<>();
        // The collection store's index and its signature are public too (issue 13, README "HTTP API").
        for (String path : List.of("/api/keys", "/api/keys/all", "/api/keys/current", "/api/revocations", "/health",
                "/health/1", "/login", "/setup", "/api/store/index", "/api/store/index.asc")) {
            expected.add("GET " + path);
            expected.add("HEAD " + path);
        }
        answeredAnonymously.removeIf(r -> r.startsWith("HEAD ") && !expected.contains(r)
                && !answeredAnonymously.contains("GET " + r.substring(5)));
        assertEquals(expected.stream().filter(r -> answeredAnonymously.contains(r) || r.startsWith("GET "))
                        .collect(java.util.stream.Collectors.toCollection(TreeSet::new)), answeredAnonymously,
                "README \"Web UI\" documents exactly these public routes (health, public keys, revocations, login, store index)");
    }

    @Override
    protected Map<String, String> moreProperties() {
        return Map.of("test.undeclared-route", "true");
    }

    /** Every route says who it is for where it is defined; the filter denies a route that does not. */
    @Test
    void everyRouteDeclaresItsAccessAndAnUndeclaredOneIsDeniedEvenToAnAdmin() {
        List<String> undeclared = new java.util.ArrayList<>();
        for (UriRouteInfo<?, ?> route : router.uriRoutes().toList()) {
            boolean ours = route.getTargetMethod().getDeclaringType() == UndeclaredRouteController.class;
            if (!ours && SecurityFilter.declaredNeed(route).isEmpty()) {
                undeclared.add(route.getHttpMethod() + " " + route.getUriMatchTemplate());
            }
        }
        assertEquals(List.of(), undeclared, "routes without @Access (or an entry for a library endpoint)");

        WebSession root = loggedIn("root", ADMIN_PASSWORD);
        HttpResponse<String> forgotten = root.get("/undeclared");
        assertEquals(403, forgotten.statusCode(), forgotten.body());
        assertFalse(forgotten.body().contains("reachable"));
        assertEquals(403, loggedIn("vic", PASSWORD).get("/undeclared").statusCode());
        assertEquals(403, browser().send(HttpRequest.newBuilder(URI.create(base() + "/undeclared"))
                .header("Authorization", "Bearer test-token").GET()).statusCode(), "not even the operator token");

        // What only a path prefix protected before: /issued is for issuers, a viewer's session reads everything else.
        WebSession vic = loggedIn("vic", PASSWORD);
        assertEquals(403, vic.get("/issued").statusCode());
        assertEquals(403, vic.get("/admin/revalidate").statusCode());
        assertEquals(200, vic.get("/trophies").statusCode());
    }

    @Test
    void rolesLimitWhatASessionReaches() {
        WebSession vic = loggedIn("vic", PASSWORD);
        WebSession ivy = loggedIn("ivy", PASSWORD);
        WebSession root = loggedIn("root", ADMIN_PASSWORD);

        assertEquals(200, vic.get("/").statusCode());
        assertEquals(200, vic.getApi("/api/status").statusCode(), "a session reads the API too");
        assertEquals(403, vic.get("/issue").statusCode());
        assertEquals(403, vic.get("/bulk").statusCode());
        assertEquals(403, vic.post("/api/shares/rescan", Map.of()).statusCode(), "operator actions are for admins");
        assertEquals(403, ivy.get("/admin/users").statusCode());
        assertEquals(403, ivy.get("/admin/audit").statusCode());
        assertEquals(403, ivy.post("/admin/users", Map.of("username", "eve", "password", PASSWORD, "role", "admin"))
                .statusCode(), "an issuer cannot make themselves an admin");
        assertTrue(accounts.find("eve").isEmpty());
        for (String trick : List.of("/%61dmin/users", "/ADMIN/users", "//admin/users", "/admin/users/", "/./admin/users",
                "/issue/../admin/users", "/admin/./users", "/admin%2Fusers", "/admin/users;x=1")) {
            int code = ivy.get(trick).statusCode();
            assertTrue(code == 403 || code == 404 || code == 400, trick + " answered " + code + " to an issuer");
        }
        assertEquals(200, root.get("/admin/users").statusCode());
        assertEquals(200, root.get("/admin/audit").statusCode());
    }

    @Test
    void anIssuerCannotAwardOutsideTheirScopeWhateverTheFormSays() throws Exception {
        Share jo = newShare("jo", null);
        await(() -> registry.find(jo.id()).filter(s -> s.accepted()), Duration.ofSeconds(20), "jo accepted");
        WebSession ivy = loggedIn("ivy", PASSWORD);

        for (String forged : List.of("oth/prize", "scn/medal", "scn/first", "scn/award/../../oth/prize", "oth/../scn/award")) {
            HttpResponse<String> preview = ivy.post("/issue/preview", Map.of("share", jo.id(), "accomplishment", forged));
            HttpResponse<String> issue = ivy.post("/issue", Map.of("share", jo.id(), "accomplishment", forged));
            assertEquals(422, preview.statusCode(), forged);
            assertEquals(422, issue.statusCode(), forged + ": " + issue.body());
        }
        assertTrue(ivy.post("/issue", Map.of("share", jo.id(), "accomplishment", "oth/prize")).body()
                .contains("outside your scope"));
        assertFalse(Files.exists(jo.folder().resolve("oth")), "nothing was written for a forged id");
        assertFalse(Files.exists(jo.folder().resolve("scn/medal.trophy")));
        assertEquals(422, ivy.post("/issue", Map.of("share", "not-a-share", "accomplishment", "scn/award")).statusCode());

        // A trophy an admin issued outside ivy's scope cannot be revoked by ivy, not even by guessing its id.
        WebSession root = loggedIn("root", ADMIN_PASSWORD);
        HttpResponse<String> prize = root.post("/issue", Map.of("share", jo.id(), "accomplishment", "oth/prize"));
        String id = prize.headers().firstValue("Location").orElseThrow().replaceAll("\\D+", " ").strip().split(" ")[0];
        HttpResponse<String> revoke = ivy.post("/issued/" + id + "/revoke", Map.of("reason", "mine now"));
        assertEquals(404, revoke.statusCode(), revoke.body());
        assertTrue(root.page("/issued/" + id).contains("Revoke this trophy"), "still standing");

        // The same through the API with ivy's own token.
        ivy.page("/account");
        HttpResponse<String> created = ivy.post("/account/tokens", Map.of("label", "script", "read", "on", "issue", "on"));
        String token = created.body().replaceAll("(?s).*id=\"newtoken\" readonly value=\"(av_[^\"]+)\".*", "$1");
        assertTrue(token.startsWith("av_"), created.body());
        HttpResponse<String> api = browser().send(HttpRequest.newBuilder(URI.create(base() + "/api/issued"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"share\":\"" + jo.id() + "\",\"accomplishment\":\"oth/prize\"}")));
        assertEquals(422, api.statusCode(), api.body());
        HttpResponse<String> allowed = browser().send(HttpRequest.newBuilder(URI.create(base() + "/api/issued"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"share\":\"" + jo.id() + "\",\"accomplishment\":\"scn/award\"}")));
        assertEquals(201, allowed.statusCode(), allowed.body());
    }

    @Test
    void apiTokensAreScopedAndRevocable() {
        WebSession vic = loggedIn("vic", PASSWORD);
        vic.page("/account");
        HttpResponse<String> created = vic.post("/account/tokens", Map.of("label", "grafana", "read", "on", "write", "on",
                "issue", "on"));
        String token = created.body().replaceAll("(?s).*id=\"newtoken\" readonly value=\"(av_[^\"]+)\".*", "$1");
        assertTrue(created.body().contains(">read<") || created.body().contains("read"), created.body());

        assertEquals(200, bearer("GET", "/api/status", token).statusCode());
        assertEquals(200, bearer("GET", "/prometheus", token).statusCode());
        assertEquals(403, bearer("POST", "/api/shares/rescan", token).statusCode(), "a viewer's token cannot write");
        assertEquals(403, bearer("POST", "/api/issued", token).statusCode(), "nor issue");
        String id = created.body().replaceAll("(?s).*/account/tokens/(\\d+)/revoke.*", "$1");
        vic.post("/account/tokens/" + id + "/revoke", Map.of());
        assertEquals(401, bearer("GET", "/api/status", token).statusCode(), "a revoked token is no token");
        assertEquals(401, bearer("GET", "/api/status", token + "x").statusCode());
    }

    @Test
    void postsWithoutTheRightCsrfTokenFail() {
        WebSession root = loggedIn("root", ADMIN_PASSWORD);
        Map<String, String> user = Map.of("username", "mal", "password", PASSWORD, "role", "admin");

        assertEquals(403, root.postRaw("/admin/users", user).statusCode(), "no token");
        Map<String, String> wrong = new java.util.HashMap<>(user);
        wrong.put("_csrf", "not-the-token");
        assertEquals(403, root.postRaw("/admin/users", wrong).statusCode(), "a wrong token");
        WebSession other = loggedIn("vic", PASSWORD);
        wrong.put("_csrf", other.lastCsrf);
        assertEquals(403, root.postRaw("/admin/users", wrong).statusCode(), "another session's token");
        assertEquals(403, root.postRaw("/logout", Map.of()).statusCode(), "even logging out");
        assertTrue(accounts.find("mal").isEmpty());
        // The login form needs its own double-submit token: a cross-site login (into the attacker's account) fails.
        WebSession fresh = browser();
        assertEquals(403, fresh.postRaw("/login", Map.of("username", "root", "password", ADMIN_PASSWORD)).statusCode());
        assertEquals(200, root.post("/admin/users", user).statusCode(), "with the token it works");
    }

    @Test
    void anEndedOrExpiredSessionCannotBeReused() {
        WebSession vic = loggedIn("vic", PASSWORD);
        Map<String, String> stolen = Map.copyOf(vic.cookies);
        assertEquals(200, vic.get("/").statusCode());

        assertEquals(303, vic.post("/logout", Map.of()).statusCode());

        WebSession thief = browser();
        thief.cookies.putAll(stolen);
        assertEquals(303, thief.get("/").statusCode(), "the cookie of an ended session leads to the login page");
        assertEquals(401, thief.getApi("/api/status").statusCode());

        WebSession idle = loggedIn("vic", PASSWORD);
        String cookie = idle.cookies.get(SecurityFilter.SESSION_COOKIE);
        SessionRow row = sessionRows.findById(org.accomplishments.validator.auth.Secrets.sha256(cookie)).orElseThrow();
        sessionRows.update(new SessionRow(row.idHash(), row.userName(), row.csrf(), row.createdAt(),
                Instant.now().minus(Duration.ofHours(1)), row.expiresAt()));
        assertEquals(401, idle.getApi("/api/status").statusCode(), "idle for longer than the idle timeout");

        WebSession old = loggedIn("vic", PASSWORD);
        String oldCookie = old.cookies.get(SecurityFilter.SESSION_COOKIE);
        SessionRow oldRow = sessionRows.findById(org.accomplishments.validator.auth.Secrets.sha256(oldCookie)).orElseThrow();
        sessionRows.update(new SessionRow(oldRow.idHash(), oldRow.userName(), oldRow.csrf(), oldRow.createdAt(),
                oldRow.lastSeenAt(), Instant.now().minusSeconds(1)));
        assertEquals(401, old.getApi("/api/status").statusCode(), "past its maximum age");
    }

    @Test
    void theSessionCookieIsHttpOnlySameSiteAndSecure() {
        WebSession session = browser();
        session.page("/login");
        HttpResponse<String> login = session.post("/login", Map.of("username", "vic", "password", PASSWORD));

        String cookie = WebSession.setCookies(login).stream().filter(c -> c.startsWith(SecurityFilter.SESSION_COOKIE + "="))
                .findFirst().orElseThrow();
        assertTrue(cookie.contains("HTTPOnly") || cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertTrue(cookie.contains("Secure"), cookie);
        HttpResponse<String> page = session.get("/");
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
    }

    @Test
    void guessingPasswordsLocksTheAccount() {
        accounts.create("test", "kim", PASSWORD, org.accomplishments.validator.auth.Role.VIEWER,
                org.accomplishments.validator.auth.IssuerScope.parse(""), "test");
        WebSession guesser = browser();
        long started = System.nanoTime();
        int locked = -1;
        for (int i = 1; i <= 6; i++) {
            guesser.page("/login");
            HttpResponse<String> attempt = guesser.post("/login", Map.of("username", "kim", "password", "guess-" + i));
            assertTrue(attempt.statusCode() == 401, attempt.body());
            if (attempt.body().contains("locked until")) {
                locked = i;
                break;
            }
        }
        double perGuessMs = (System.nanoTime() - started) / 1e6 / Math.max(1, locked);
        assertEquals(5, locked, "locked at the fifth wrong password in a row");
        guesser.page("/login");
        HttpResponse<String> right = guesser.post("/login", Map.of("username", "kim", "password", PASSWORD));
        assertTrue(right.body().contains("locked until"), "even the right password waits for the lockout to end");
        System.out.printf("WebSecurityTest: %.0f ms per wrong password (Argon2id)%n", perGuessMs);
        String audit = loggedIn("root", ADMIN_PASSWORD).page("/admin/audit");
        assertTrue(audit.contains("login-failed") && audit.contains("login-refused"), audit);
    }

    @Test
    void whatStrangersWriteIsShownAsTextNeverAsMarkup() throws Exception {
        // No '/' (a folder name) and no parentheses (they delimit the share id in the folder name).
        Share share = newShare("<img src=x onerror=alert-1>", "mal@example.org");
        // A share name and owner with markup, a trophy whose script prints markup, a note with markup.
        accomplishment("noisy", "echo '<img src=x onerror=alert(2)>'; exit 1");
        WebSession root = loggedIn("root", ADMIN_PASSWORD);
        installed.reload();
        write(share.folder().resolve("scn/noisy.trophy"), "[trophy]\nversion = 0.2\nid = scn/noisy\nneeds-signing = true\n"
                + "needs-information = email\nemail = mal@example.org\n");
        await(() -> ledger.current(share.id()).stream().filter(r -> r.path().equals("scn/noisy.trophy")
                && r.attempts() > 0).findFirst(), Duration.ofSeconds(30), "the noisy script ran");
        HttpResponse<String> issued = root.post("/issue", Map.of("share", share.id(), "accomplishment", "scn/award",
                "note", "<b onmouseover=alert(3)>hi</b>"));
        assertEquals(303, issued.statusCode(), issued.body());

        long trophyId = ledger.current(share.id()).stream().filter(r -> r.path().equals("scn/noisy.trophy"))
                .findFirst().orElseThrow().id();
        List<String> pages = List.of(root.page("/"), root.page("/shares"), root.page("/trophies/" + trophyId),
                root.page(issued.headers().firstValue("Location").orElseThrow()), root.page("/issue?q=onerror"),
                root.page("/admin/audit"));
        for (String page : pages) {
            assertFalse(page.contains("<img src=x"), page);
            assertFalse(page.contains("<b onmouseover"), page);
        }
        assertTrue(pages.get(2).contains("&lt;img src=x onerror=alert(2)&gt;"), "script output shown as text");
        assertTrue(pages.get(3).contains("&lt;b onmouseover=alert(3)&gt;hi&lt;/b&gt;"), "the note shown as text");
        assertTrue(pages.get(1).contains("&lt;img src=x onerror=alert-1&gt;"), "the owner shown as text");
        assertTrue(ledger.current(share.id()).stream().anyMatch(r -> r.trophyState() == TrophyState.WAITING
                || r.trophyState() == TrophyState.PENDING || r.trophyState() == TrophyState.REJECTED));
    }

    private HttpResponse<String> bearer(String method, String path, String token) {
        return browser().send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}")));
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }
}
