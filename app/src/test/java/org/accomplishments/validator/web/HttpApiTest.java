package org.accomplishments.validator.web;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import org.accomplishments.validator.signing.PinnedKeys;
import org.accomplishments.validator.signing.PublishedKey;
import org.accomplishments.validator.signing.KeyAlgorithm;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.accomplishments.validator.validation.PipelineScenario;
import org.accomplishments.validator.validation.TrophyRow;
import org.accomplishments.validator.validation.TrophyState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.accomplishments.validator.web.ApiClient.items;
import static org.accomplishments.validator.web.ApiClient.number;
import static org.accomplishments.validator.web.ApiClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP API of README.md "HTTP API" against a running service: what a reader with a token sees, and that every
 * write is refused without the bearer token (enumerated from the router, so a new write route cannot be forgotten).
 */
@MicronautTest(transactional = false)
class HttpApiTest extends PipelineScenario {

    static final String TOKEN = "test-token";
    static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    Router router;

    @Inject
    ValidationKeyring keyring;

    ApiClient api;
    Share alice;
    Share bob;
    Share mallory;

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of(
                "first", "echo checked first; echo a warning >&2; exit 0",
                "second", "echo checked second; exit 0",
                "third", "echo checked third; exit 0");
    }

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("validator.shares.policy.owner-deny", "mallory");
    }

    /** Alice: three signed trophies; Bob: one rejected; Mallory: a refused share. */
    @BeforeAll
    void sharesAndTrophiesArrive() {
        api = new ApiClient(http, TOKEN);
        alice = newShare("alice", "alice@example.org");
        bob = newShare("bob", "bob@example.org");
        mallory = newShare("mallory", "mallory@example.org");
        for (String name : List.of("first", "second", "third")) {
            putTrophy(alice, name, "alice@example.org");
        }
        putTrophy(bob, "first", "not-bob@example.org");
        for (String name : List.of("first", "second", "third")) {
            awaitState(alice, name, TrophyState.SIGNED, Duration.ofSeconds(30));
        }
        awaitState(bob, "first", TrophyState.REJECTED, Duration.ofSeconds(30));
        await(() -> registry.accepted().stream().anyMatch(s -> s.id().equals(alice.id())) ? Optional.of(true)
                : Optional.empty(), Duration.ofSeconds(10), "alice's share accepted");
        await(() -> items(api.json("/api/shares?state=refused")).stream().anyMatch(s -> mallory.id().equals(s.get("id")))
                        ? Optional.of(true) : Optional.empty(),
                Duration.ofSeconds(20), "mallory's share refused");
    }

    // ---- reads ------------------------------------------------------------------------------------------------

    @Test
    void statusSaysWhatTheApplianceIsDoing() {
        Map<String, Object> status = await(() -> Optional.of(api.json("/api/status"))
                .filter(s -> s.get("lastScan") != null), Duration.ofSeconds(20), "a full scan in /api/status");

        Map<String, Object> trophies = object(status, "trophies");
        assertEquals(Set.of("pending", "waiting", "signing", "signed", "rejecting", "rejected", "ignored",
                "superseded", "vanished", "revoked"), trophies.keySet(), status.toString());
        assertTrue(number(trophies.get("signed")) >= 3, status.toString());
        assertTrue(number(trophies.get("rejected")) >= 1, status.toString());
        Map<String, Object> shares = object(status, "shares");
        assertEquals(Set.of("offered", "accepted", "refused", "over_limit", "gone"), shares.keySet(), status.toString());
        assertTrue(number(shares.get("accepted")) >= 2, status.toString());
        assertTrue(number(shares.get("refused")) >= 1, status.toString());
        assertNotNull(status.get("lastScanMillis"), status.toString());
        assertTrue(status.containsKey("inFlight"), status.toString());
        Map<String, Object> key = object(status, "key");
        assertEquals(keyring.active().fingerprint(), key.get("fingerprint"));
        assertEquals("ed25519", key.get("algorithm"));
        assertNotNull(key.get("created"));
        Map<String, Object> backend = object(status, "backend");
        assertEquals("local", backend.get("name"));
        assertEquals(true, backend.get("up"));
        Map<String, Object> collectionsView = object(status, "collections");
        assertEquals(List.of(collections.toString()), collectionsView.get("roots"));
        assertEquals(3L, number(collectionsView.get("accomplishments")));
        assertEquals(1L, number(collectionsView.get("collections")));
        assertEquals(List.of(), collectionsView.get("problems"));
        assertNotNull(collectionsView.get("loadedAt"));
    }

    @Test
    void sharesListEveryOfferAndFilterByState() {
        Map<String, Object> all = api.json("/api/shares");
        Map<String, Object> accepted = api.json("/api/shares?state=accepted");
        Map<String, Object> refused = api.json("/api/shares?state=refused");

        Set<String> allIds = new TreeSet<>();
        items(all).forEach(s -> allIds.add((String) s.get("id")));
        assertTrue(allIds.containsAll(Set.of(alice.id(), bob.id(), mallory.id())), all.toString());
        assertTrue(items(accepted).stream().allMatch(s -> "accepted".equals(s.get("state"))), accepted.toString());
        Map<String, Object> aliceView = items(accepted).stream().filter(s -> alice.id().equals(s.get("id")))
                .findFirst().orElseThrow(() -> new AssertionError("alice not accepted: " + accepted));
        assertEquals("alice", aliceView.get("owner"));
        assertEquals("alice", aliceView.get("visibleName"));
        assertEquals("local", aliceView.get("backend"));
        assertEquals("alice Trophies Folder", aliceView.get("name"));
        assertNotNull(aliceView.get("decidedAt"));
        assertTrue(items(accepted).stream().noneMatch(s -> mallory.id().equals(s.get("id"))), accepted.toString());
        Map<String, Object> malloryView = items(refused).stream().filter(s -> mallory.id().equals(s.get("id")))
                .findFirst().orElseThrow(() -> new AssertionError("mallory not refused: " + refused));
        assertNotNull(malloryView.get("reason"), malloryView.toString());
        assertEquals(400, api.status(HttpRequest.GET("/api/shares?state=maybe").bearerAuth(TOKEN)));
    }

    @Test
    void trophiesPageNewestFirstAndFilterByShareAndState() {
        Map<String, Object> page0 = api.json("/api/trophies?share=" + alice.id() + "&size=2&page=0");
        Map<String, Object> page1 = api.json("/api/trophies?share=" + alice.id() + "&size=2&page=1");
        Map<String, Object> page2 = api.json("/api/trophies?share=" + alice.id() + "&size=2&page=2");

        assertEquals(3L, number(page0.get("total")), page0.toString());
        assertEquals(0L, number(page0.get("page")));
        assertEquals(2L, number(page0.get("size")));
        assertEquals(2, items(page0).size(), page0.toString());
        assertEquals(1, items(page1).size(), page1.toString());
        assertEquals(1L, number(page1.get("page")));
        assertEquals(0, items(page2).size(), page2.toString());
        List<Long> ids = new ArrayList<>();
        items(page0).forEach(t -> ids.add(number(t.get("id"))));
        items(page1).forEach(t -> ids.add(number(t.get("id"))));
        assertEquals(ids.stream().sorted(java.util.Comparator.reverseOrder()).toList(), ids, "newest first");
        assertTrue(items(page0).stream().allMatch(t -> alice.id().equals(t.get("shareId"))
                && "signed".equals(t.get("state")) && keyring.keys().stream()
                .anyMatch(k -> k.fingerprint().equals(t.get("signedBy")))), page0.toString());

        Map<String, Object> rejected = api.json("/api/trophies?state=rejected");
        assertTrue(items(rejected).stream().allMatch(t -> "rejected".equals(t.get("state"))), rejected.toString());
        Map<String, Object> bobs = items(rejected).stream().filter(t -> bob.id().equals(t.get("shareId"))).findFirst()
                .orElseThrow(() -> new AssertionError("bob's rejection not listed: " + rejected));
        assertEquals("information-mismatch", bobs.get("reason"));
        assertEquals("scn/first.trophy", bobs.get("path"));
        assertEquals("scn/first", bobs.get("accomplishmentId"));
        assertEquals(0L, number(api.json("/api/trophies?share=" + bob.id() + "&state=signed").get("total")));
        assertEquals(1L, number(api.json("/api/trophies?share=" + bob.id() + "&state=REJECTED").get("total")));

        assertEquals(500L, number(api.json("/api/trophies?size=100000").get("size")), "size is capped at 500");
    }

    @Test
    void anUnknownTrophyStateIsABadRequest() {
        HttpResponse<String> response = api.exchange(HttpRequest.GET("/api/trophies?state=accomplished").bearerAuth(TOKEN));

        assertEquals(400, response.code());
        assertTrue(api.body(response).contains("state must be one of pending, waiting, signing, signed"),
                api.body(response));
    }

    @Test
    void aTrophysHistoryHoldsTheScriptAttemptWithExitCodeAndOutput() {
        TrophyRow row = row(alice, "first").orElseThrow();

        Map<String, Object> detail = api.json("/api/trophies/" + row.id());

        Map<String, Object> trophy = object(detail, "trophy");
        assertEquals(number(trophy.get("id")), row.id());
        assertEquals("signed", trophy.get("state"));
        assertEquals(row.sha256(), trophy.get("sha256"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> history = (List<Map<String, Object>>) detail.get("history");
        Map<String, Object> script = history.stream().filter(e -> "script".equals(e.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no script attempt in " + history));
        assertEquals(0L, number(script.get("exitCode")), script.toString());
        assertNotNull(script.get("durationMs"), script.toString());
        assertEquals("checked first\n", script.get("stdoutTail"), script.toString());
        assertEquals("a warning\n", script.get("stderrTail"), script.toString());
        assertEquals("discovered", history.get(0).get("kind"), history.toString());
        assertEquals("signed", history.get(history.size() - 1).get("kind"), history.toString());
    }

    @Test
    void anUnknownTrophyIsNotFound() {
        assertEquals(404, api.status(HttpRequest.GET("/api/trophies/987654321").bearerAuth(TOKEN)));
        assertEquals(404, api.status(HttpRequest.POST("/api/trophies/987654321/revalidate", "").bearerAuth(TOKEN)));
    }

    @Test
    void keysArePublishedArmored() {
        List<Map<String, Object>> keys = http.toBlocking().retrieve(HttpRequest.GET("/api/keys"),
                Argument.listOf(Argument.mapOf(String.class, Object.class)));
        assertFalse(keys.isEmpty());
        Map<String, Object> first = keys.get(0);
        assertEquals(keyring.active().fingerprint(), first.get("fingerprint"));
        assertEquals("active", first.get("status"));
        assertEquals("ed25519", first.get("algorithm"));
        assertNotNull(first.get("created"));
        assertTrue(first.containsKey("retiredAt"));

        HttpResponse<String> current = api.exchange(HttpRequest.GET("/api/keys/current"));
        assertEquals(200, current.code());
        assertEquals("application/pgp-keys", current.getContentType().orElseThrow().getName());
        String armored = api.body(current);
        assertTrue(armored.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"), armored);
        assertFalse(armored.contains("PRIVATE"), armored);
        assertEquals(List.of(keyring.active().fingerprint()), PinnedKeys.parse(armored).fingerprints());
    }

    @Test
    void afterARotationTheRetiredKeyStaysPublishedAndNewTrophiesUseTheNewKey() {
        String before = keyring.active().fingerprint();
        PublishedKey rotated = keyring.rotate(KeyAlgorithm.ED25519);

        List<Map<String, Object>> keys = http.toBlocking().retrieve(HttpRequest.GET("/api/keys"),
                Argument.listOf(Argument.mapOf(String.class, Object.class)));
        Map<String, Object> first = keys.get(0);
        assertEquals(rotated.fingerprint(), first.get("fingerprint"));
        assertTrue(keys.stream().anyMatch(k -> before.equals(k.get("fingerprint"))
                && "retired".equals(k.get("status")) && k.get("retiredAt") != null), keys.toString());
        String all = api.text("/api/keys/all");
        assertTrue(all.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"), all);
        assertTrue(PinnedKeys.parse(all).fingerprints().containsAll(List.of(before, rotated.fingerprint())), all);
        assertEquals(List.of(rotated.fingerprint()), PinnedKeys.parse(api.text("/api/keys/current")).fingerprints());

        Share carol = newShare("carol", "carol@example.org");
        putTrophy(carol, "second", "carol@example.org");
        String asc = awaitFile(carol.asc("second"), Duration.ofSeconds(30));
        assertTrue(asc.contains("key = " + rotated.fingerprint()), asc);
    }

    @Test
    void healthIsUpWithTheShareBackend() {
        Map<String, Object> health = api.json("/health");

        assertEquals("UP", health.get("status"), health.toString());
        Map<String, Object> details = object(health, "details");
        assertNotNull(details, health.toString());
        assertTrue(details.containsKey("shareBackend"), health.toString());
        assertEquals("UP", object(details, "shareBackend").get("status"), health.toString());
    }

    @Test
    void prometheusCountsSignedTrophies() {
        String metrics = api.text("/prometheus");

        String signed = metrics.lines().filter(l -> l.startsWith("validator_trophies_signed_total"))
                .findFirst().orElseThrow(() -> new AssertionError("no validator_trophies_signed_total in\n" + metrics));
        assertTrue(Double.parseDouble(signed.substring(signed.lastIndexOf(' ') + 1)) >= 3.0, signed);
        assertTrue(metrics.contains("validator_trophies_rejected_total{reason=\"information-mismatch\"}"), metrics);
    }

    // ---- writes -----------------------------------------------------------------------------------------------

    private MutableHttpRequest<?> post(String uri) {
        return HttpRequest.POST(uri, "");
    }

    @Test
    void everyWriteRouteIsRefusedWithoutTheToken() {
        for (String uri : List.of("/api/collections/reload", "/api/trophies/1/revalidate", "/api/shares/rescan")) {
            HttpResponse<String> none = api.exchange(post(uri));
            assertEquals(401, none.code(), uri);
            assertEquals("Bearer realm=\"accomplishments-validator\"", none.getHeaders().get("WWW-Authenticate"), uri);
            assertEquals(401, api.status(post(uri).bearerAuth("not-the-token")), uri);
            assertEquals(401, api.status(post(uri).bearerAuth(TOKEN + "x")), uri);
            assertEquals(401, api.status(post(uri).header("Authorization", TOKEN)), uri + " token without 'Bearer '");
            assertEquals(401, api.status(post(uri).basicAuth("admin", TOKEN)), uri + " basic auth");
        }
    }

    @Test
    void reloadWithTheToken() {
        HttpResponse<String> response = api.exchange(post("/api/collections/reload").bearerAuth(TOKEN));

        assertEquals(200, response.code(), api.body(response));
        assertTrue(api.body(response).contains("\"accomplishments\":3"), api.body(response));
    }

    @Test
    void rescanWithTheToken() {
        HttpResponse<String> response = api.exchange(post("/api/shares/rescan").bearerAuth(TOKEN));

        assertEquals(200, response.code(), api.body(response));
        assertTrue(api.body(response).contains("rescanned "), api.body(response));
    }

    @Test
    void revalidateWithTheTokenValidatesTheTrophyAgain() {
        TrophyRow row = row(alice, "third").orElseThrow();
        long scriptsBefore = ledger.history(row.id()).stream().filter(e -> e.kind().equals("script")).count();

        HttpResponse<String> response = api.exchange(post("/api/trophies/" + row.id() + "/revalidate")
                .bearerAuth(TOKEN));

        assertEquals(202, response.code(), api.body(response));
        assertTrue(api.body(response).contains("\"id\":" + row.id()), api.body(response));
        await(() -> ledger.find(row.id()).filter(r -> r.trophyState() == TrophyState.SIGNED
                        && ledger.history(row.id()).stream().anyMatch(e -> e.kind().equals("revalidate")))
                        .map(r -> true),
                Duration.ofSeconds(30), "the revalidated trophy signed again");
        // "validate a trophy again from the start" (README): the rules and the logic script, not a look at the
        // .asc that the first validation wrote.
        List<String> kinds = ledger.history(row.id()).stream().map(e -> e.kind()).toList();
        assertTrue(ledger.history(row.id()).stream().filter(e -> e.kind().equals("script")).count() > scriptsBefore,
                "the logic script did not run again; history: " + kinds);
    }

    @Test
    void revalidateARejectedTrophyAfterTheUserFixedTheirInformation() {
        Share dave = newShare("dave", "dave@old.example.org");
        putTrophy(dave, "second", "dave@example.org");
        assertEquals("information-mismatch", awaitRejection(dave, "second"));
        write(dave.folder().resolve(".extrainformation/email"), "dave@example.org\n");
        TrophyRow row = row(dave, "second").orElseThrow();

        assertEquals(202, api.status(post("/api/trophies/" + row.id() + "/revalidate").bearerAuth(TOKEN)));

        String asc = awaitFile(dave.asc("second"), Duration.ofSeconds(30));
        assertTrue(asc.contains("share-id = " + dave.id()), asc);
        awaitState(dave, "second", TrophyState.SIGNED, Duration.ofSeconds(10));
        await(() -> Optional.of(dave.rejected("second")).filter(p -> !java.nio.file.Files.exists(p)),
                Duration.ofSeconds(10), "the old .rejected removed");
    }

    /** Every route that is not a read, under /api or anywhere, as the router knows them. */
    private List<UriRouteInfo<?, ?>> writeRoutes() {
        return router.uriRoutes().filter(r -> !READS.contains(r.getHttpMethod())).toList();
    }

    private static String concrete(UriRouteInfo<?, ?> route) {
        return route.getUriMatchTemplate().toString().replaceAll("\\{[^}]*}", "1");
    }

    @Test
    void everyWriteRouteTheRouterKnowsNeedsATokenOrSession() {
        List<UriRouteInfo<?, ?>> writes = writeRoutes();
        Set<String> seen = new TreeSet<>();
        for (UriRouteInfo<?, ?> route : writes) {
            String uri = concrete(route);
            seen.add(route.getHttpMethod() + " " + route.getUriMatchTemplate());
            HttpRequest<?> request = HttpRequest.create(route.getHttpMethod(), uri).body("");
            // The login and setup forms are the public exceptions; without their CSRF cookie they refuse (403).
            assertEquals(SecurityFilter.declaredNeed(route).orElse(null) == Access.Need.PUBLIC ? 403 : 401, api.status(request),
                    route.getHttpMethod() + " " + uri + " without a token");
        }
        assertTrue(seen.containsAll(Set.of("POST /api/collections/reload", "POST /api/trophies/{id}/revalidate",
                "POST /api/shares/rescan")), "the router's write routes: " + seen);
    }
}
