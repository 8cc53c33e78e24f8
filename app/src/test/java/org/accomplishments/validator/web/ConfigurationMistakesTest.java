package org.accomplishments.validator.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.audit.AuditLog;
import org.accomplishments.validator.validation.TrophyEventRow;
import org.accomplishments.validator.validation.TrophyRow;
import org.accomplishments.validator.validation.TrophyState;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator's mistakes in the collections must not leave permanent wrong verdicts in users' shares: verdicts that
 * depended on the appliance's own configuration are validated again when the collections change, and an admin can
 * re-validate by filter (API and form). Also what strangers may learn from /health, and where a login sends them.
 */
@MicronautTest(transactional = false)
class ConfigurationMistakesTest extends WebScenario {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Inject
    AuditLog audit;

    @Override
    protected Map<String, String> accomplishments() {
        Map<String, String> a = new HashMap<>(super.accomplishments());
        a.put("noscript", null); // defined, but its logic script is not installed yet
        return a;
    }

    private HttpResponse<String> api(String method, String path, String json, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private static void script(Path file, String body) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void anonymousHealthTellsTheStatusOnlyWhileOperatorsGetTheDetails() throws Exception {
        HttpResponse<String> anonymous = api("GET", "/health", null, null);
        assertEquals(200, anonymous.statusCode());
        JsonNode body = JSON.readTree(anonymous.body());
        assertEquals(List.of("status"), iterate(body.fieldNames()), anonymous.body());
        assertEquals("UP", body.path("status").asText());
        assertFalse(anonymous.body().contains(dataDir.toString()) || anonymous.body().toLowerCase().contains("jdbc"));

        HttpResponse<String> operator = api("GET", "/health", null, "test-token");
        assertEquals(200, operator.statusCode());
        JsonNode details = JSON.readTree(operator.body()).path("details");
        assertTrue(details.has("collections") && details.has("shareBackend"), operator.body());

        WebSession vic = loggedIn("vic", PASSWORD);
        assertTrue(JSON.readTree(vic.getApi("/health").body()).has("details"), "a viewer's session sees the details");
        assertEquals(List.of("status"), iterate(JSON.readTree(browser().getApi("/health/liveness").body()).fieldNames()));
    }

    private static List<String> iterate(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void aLoginNextThatIsNotASameSitePathSendsToTheDashboardWhateverItHolds() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("/trophies?state=signed", "/trophies?state=signed");
        cases.put("/trophies?share=a b", "/");
        cases.put("/trophies\t", "/");
        cases.put("/\u3000", "/");
        cases.put("/caf\u00e9", "/");
        cases.put("//evil.example/", "/");
        cases.put("/\\evil.example/", "/");
        cases.put("https://evil.example/", "/");
        cases.put("/%0d%0aSet-Cookie:x=y", "/%0d%0aSet-Cookie:x=y");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            WebSession session = browser();
            session.page("/login");
            HttpResponse<String> response = session.post("/login",
                    Map.of("username", "vic", "password", PASSWORD, "next", c.getKey()));
            assertEquals(303, response.statusCode(), "next=" + c.getKey() + ": " + response.body());
            assertEquals(c.getValue(), response.headers().firstValue("Location").orElse(""), "next=" + c.getKey());
        }
    }

    @Test
    void aCollectionChangeReplacesTheRejectionsThatDependedOnTheOldCollections() throws Exception {
        Share share = newShare("uma", "uma@example.org");
        putTrophy(share, "later", "uma@example.org");
        putTrophy(share, "noscript", "uma@example.org");
        assertEquals("unknown-accomplishment", awaitRejection(share, "later"));
        assertEquals("no-logic-script", awaitRejection(share, "noscript"));
        Map<Path, byte[]> before = snapshotUserFiles(share.folder());

        // The operator installs what was missing; the reload (API here, the timer alike) notices the change.
        accomplishment("later", "exit 0");
        script(collections.resolve("scripts/" + COLLECTION + "/noscript.sh"), "exit 0");
        assertEquals(200, api("POST", "/api/collections/reload", null, "test-token").statusCode());

        awaitFile(share.asc("later"), Duration.ofSeconds(30));
        awaitFile(share.asc("noscript"), Duration.ofSeconds(30));
        awaitState(share, "later", TrophyState.SIGNED, Duration.ofSeconds(10));
        awaitState(share, "noscript", TrophyState.SIGNED, Duration.ofSeconds(10));
        assertFalse(Files.exists(share.rejected("later")), "the signature replaced the rejection");
        assertFalse(Files.exists(share.rejected("noscript")));
        Map<Path, byte[]> after = snapshotUserFiles(share.folder());
        assertEquals(before.keySet(), after.keySet());
        before.forEach((p, bytes) -> assertArrayEquals(bytes, after.get(p), "the user's " + p + " is untouched"));
        TrophyRow later = row(share, "later").orElseThrow();
        assertTrue(ledger.history(later.id()).stream().anyMatch(e -> e.kind().equals("revalidate")
                && e.detail().contains("collections changed")), "the history says why it was validated again");
    }

    @Test
    void anAdminRevalidatesByReasonCollectionAndShareThroughTheApiAndTheForm() throws Exception {
        Share a = newShare("ann", "ann@example.org");
        Share b = newShare("ben", "ben@example.org");
        for (Share s : List.of(a, b)) {
            putTrophy(s, "first", s.owner() + "@example.org");
            putTrophy(s, "gone-missing", s.owner() + "@example.org");
        }
        for (Share s : List.of(a, b)) {
            awaitFile(s.asc("first"), Duration.ofSeconds(20));
            assertEquals("unknown-accomplishment", awaitRejection(s, "gone-missing"));
            awaitState(s, "gone-missing", TrophyState.REJECTED, Duration.ofSeconds(10));
        }

        // API, by reason and share: only ann's rejection is queued.
        HttpResponse<String> queued = api("POST", "/api/trophies/revalidate",
                "{\"reason\":\"unknown-accomplishment\",\"share\":\"" + a.id() + "\"}", "test-token");
        assertEquals(202, queued.statusCode(), queued.body());
        assertEquals(1, JSON.readTree(queued.body()).path("queued").asInt(), queued.body());
        awaitRevalidated(a, "gone-missing", TrophyState.REJECTED);
        assertEquals(0, revalidations(b, "gone-missing"), "ben's row was not selected");

        // API, by collection among signed trophies of one share.
        queued = api("POST", "/api/trophies/revalidate",
                "{\"collection\":\"" + COLLECTION + "\",\"share\":\"" + b.id() + "\",\"states\":[\"signed\"]}", "test-token");
        assertEquals(1, JSON.readTree(queued.body()).path("queued").asInt(), queued.body());
        awaitRevalidated(b, "first", TrophyState.SIGNED);
        assertTrue(Files.exists(b.asc("first")));
        assertEquals(0, api("POST", "/api/trophies/revalidate", "{\"collection\":\"oth\",\"share\":\"" + b.id() + "\"}",
                "test-token").body().contains("\"queued\":0") ? 0 : 1, "nothing of another collection");

        assertEquals(400, api("POST", "/api/trophies/revalidate", "{}", "test-token").statusCode(),
                "an empty filter would select the whole ledger");
        assertEquals(400, api("POST", "/api/trophies/revalidate", "{\"reason\":\"typo\"}", "test-token").statusCode());
        WebSession vic = loggedIn("vic", PASSWORD);
        assertEquals(403, vic.post("/api/trophies/revalidate", Map.of()).statusCode(), "a viewer may not");

        // The admin form: CSRF-protected, audited.
        WebSession ivy = loggedIn("ivy", PASSWORD);
        assertEquals(403, ivy.get("/admin/revalidate").statusCode());
        WebSession root = loggedIn("root", ADMIN_PASSWORD);
        String form = root.page("/admin/revalidate");
        assertTrue(form.contains("unknown-accomplishment") && form.contains("name=\"share\""), form);
        assertEquals(403, root.post("/admin/revalidate", Map.of("_csrf", "forged", "reason", "unknown-accomplishment",
                "share", b.id())).statusCode());
        assertEquals(0, revalidations(b, "gone-missing"));
        HttpResponse<String> done = root.post("/admin/revalidate", Map.of("state", "rejected",
                "reason", "unknown-accomplishment", "share", b.id()));
        assertEquals(200, done.statusCode(), done.body());
        assertTrue(done.body().contains("1 trophies queued"), done.body());
        awaitRevalidated(b, "gone-missing", TrophyState.REJECTED);
        assertTrue(audit.page(null, 20).stream().anyMatch(r -> r.action().equals("revalidate") && r.actor().equals("root")
                && r.subject().contains(b.id())), "the audit log names who re-validated what");
    }

    private long revalidations(Share share, String name) {
        TrophyRow r = row(share, name).orElseThrow();
        return ledger.history(r.id()).stream().map(TrophyEventRow::kind).filter("revalidate"::equals).count();
    }

    private void awaitRevalidated(Share share, String name, TrophyState verdict) {
        await(() -> row(share, name).filter(r -> r.trophyState() == verdict && revalidations(share, name) > 0
                        && ledger.history(r.id()).get(ledger.history(r.id()).size() - 1).kind().matches("rejected|signed")),
                Duration.ofSeconds(30), name + " of " + share.owner() + " validated again to " + verdict);
    }
}
