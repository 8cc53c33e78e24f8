package org.accomplishments.validator.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.accomplishments.validator.validation.TrophyState;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A typo in {@code validator.collections.path}: nothing is loaded, so nothing is validated (no
 * {@code unknown-accomplishment} in every user's share), and /health and /api/status say why. Once the collection is
 * where the setting points and the collections are reloaded, the waiting trophies get their verdicts.
 */
@MicronautTest(transactional = false)
class WrongCollectionsPathTest extends WebScenario {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private Path typo() {
        return dataDir.resolve("colections");
    }

    @Override
    protected Map<String, String> moreProperties() {
        return Map.of("validator.collections.path", typo().toString());
    }

    private HttpResponse<String> call(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nothingIsValidatedWhileNoCollectionIsLoadedAndHealthSaysWhy() throws Exception {
        Share share = newShare("zoe", "zoe@example.org");
        putTrophy(share, "first", "zoe@example.org");
        putTrophy(share, "never-defined", "zoe@example.org");
        await(() -> row(share, "first").flatMap(r -> row(share, "never-defined")), Duration.ofSeconds(20),
                "both trophies discovered");
        Thread.sleep(3000); // three timer ticks of processing: any verdict would have been written by now

        try (Stream<Path> files = Files.walk(share.folder())) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".asc") || p.toString().endsWith(".rejected")).count(),
                    "no verdict is written while nothing is loaded");
        }
        assertEquals(TrophyState.PENDING, row(share, "never-defined").orElseThrow().trophyState());

        HttpResponse<String> anonymous = call("GET", "/health", null);
        assertEquals(200, anonymous.statusCode(), "a fresh appliance without its collection still starts");
        assertEquals("{\"status\":\"DEGRADED\"}", anonymous.body().replace(" ", ""));
        JsonNode health = JSON.readTree(call("GET", "/health", "test-token").body());
        assertEquals("DEGRADED", health.path("status").asText());
        String reason = health.path("details").path("collections").path("details").path("reason").asText();
        assertTrue(reason.contains(typo().toString()) && reason.contains("nothing is validated"), health.toString());
        JsonNode status = JSON.readTree(call("GET", "/api/status", "test-token").body()).path("collections");
        assertFalse(status.path("validating").asBoolean(true), status.toString());
        assertTrue(status.path("notValidatingBecause").asText().contains("validator.collections.path"), status.toString());

        // The fix: the collection is where the setting points (a restart with the setting corrected is the same).
        Files.move(collections, typo());
        assertEquals(200, call("POST", "/api/collections/reload", "test-token").statusCode());
        awaitFile(share.asc("first"), Duration.ofSeconds(30));
        assertEquals("unknown-accomplishment", awaitRejection(share, "never-defined"), "now a true verdict");
        assertEquals("{\"status\":\"UP\"}", call("GET", "/health", null).body().replace(" ", ""));
    }
}
