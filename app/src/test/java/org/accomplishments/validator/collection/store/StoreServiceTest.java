package org.accomplishments.validator.collection.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.collection.InstalledCollections;
import org.accomplishments.validator.collection.store.TestRepository.Content;
import org.accomplishments.validator.signing.DetachedSignatures;
import org.accomplishments.validator.signing.PinnedKeys;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.accomplishments.validator.signing.VerificationResult;
import org.accomplishments.validator.trophy.AccomplishmentId;
import org.accomplishments.validator.validation.PipelineScenario;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real ubuntu-community collection through the running service: submitted over the API from a git repository
 * the test makes, published in the signed index, installed over the API from that index, loaded, and a trophy of
 * it signed. The fixture has no logic scripts (they were never in the 2012 source tree we have): the test's
 * repository adds one stand-in per global accomplishment, which the store's checks require.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoreServiceTest extends PipelineScenario {

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    ValidationKeyring keyring;
    @Inject
    InstalledCollections installed;

    final int port = freePort();
    final Path keyFile = dataDir.resolve("pinned-store-key.asc");
    TestRepository repo;

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of("first", "exit 0");
    }

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("micronaut.server.port", Integer.toString(port));
        p.put("validator.store.index-url", "http://127.0.0.1:" + port + "/api/store/index");
        p.put("validator.store.key-file", keyFile.toString());
        return p;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String post(String uri, String json) {
        try {
            HttpResponse<String> response = http.toBlocking().exchange(HttpRequest.POST(uri, json)
                    .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth("test-token"), String.class);
            return response.code() + " " + response.body();
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode() + " " + e.getResponse().getBody(String.class).orElse("");
        }
    }

    @Test
    @Order(1)
    void theRealCollectionIsSubmittedIndexedInstalledAndItsTrophySigned() throws Exception {
        repo = new TestRepository(dataDir.resolve("../" + dataDir.getFileName() + "-author-repo").normalize());
        repo.tag("v0.4.1", repo.commit("main", TestRepository.ubuntuCommunity("0.4.1")));

        long started = System.nanoTime();
        String submitted = post("/api/store/submissions", "{\"source\": \"" + repo.url() + "\", \"ref\": \"v0.4.1\"}");
        long submitMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(submitted.startsWith("201 "), submitted);
        assertTrue(submitted.contains("\"id\":\"ubuntu-community\"") && submitted.contains("\"version\":\"0.4.1\""),
                submitted);
        System.out.println("submit of ubuntu-community: " + submitMillis + " ms");

        // The index is public, and its detached signature verifies with the appliance's published key.
        byte[] index = http.toBlocking().retrieve(HttpRequest.GET("/api/store/index"), byte[].class);
        String signature = http.toBlocking().retrieve(HttpRequest.GET("/api/store/index.asc"), String.class);
        assertTrue(signature.startsWith("-----BEGIN PGP SIGNATURE-----"), signature);
        PinnedKeys published = PinnedKeys.parse(http.toBlocking().retrieve(HttpRequest.GET("/api/keys/current"), String.class));
        assertInstanceOf(VerificationResult.Good.class, new DetachedSignatures().verify(index, signature, published));
        StoreIndex parsed = StoreIndex.parse(index);
        assertEquals("ubuntu-community", parsed.entries().get(0).id());
        Files.writeString(keyFile, keyring.armoredActivePublicKey(), StandardCharsets.US_ASCII);

        started = System.nanoTime();
        String done = post("/api/collections/install", "{\"id\": \"ubuntu-community\"}");
        long installMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(done.startsWith("200 ") && done.contains("\"version\":\"0.4.1\""), done);
        System.out.println("install of ubuntu-community: " + installMillis + " ms");
        assertTrue(installed.catalog().find(new AccomplishmentId("ubuntu-community", "registered-on-launchpad")).isPresent());
        assertEquals(118, installed.catalog().size()); // 117 and the scenario's own

        Share share = newShare("alice", null);
        write(share.folder().resolve(".extrainformation/launchpad-email"), "alice@example.org\n");
        write(share.folder().resolve("ubuntu-community/registered-on-launchpad.trophy"), """
                [trophy]
                version = 0.2
                id = ubuntu-community/registered-on-launchpad
                date-accomplished = 2026-12-01 10:00
                needs-signing = true
                needs-information = launchpad-email
                launchpad-email = alice@example.org
                """);
        String asc = awaitFile(share.folder().resolve("ubuntu-community/registered-on-launchpad.trophy.asc"),
                Duration.ofSeconds(30));
        assertTrue(asc.contains("id = ubuntu-community/registered-on-launchpad"), asc);
    }

    @Test
    @Order(2)
    void aRefusedSubmissionAnswers422WithEveryReason() throws Exception {
        Map<String, Content> files = TestRepository.ubuntuCommunity("0.4.1");
        files.put("scripts/ubuntu-community/registered-on-launchpad.sh", Content.symlink("/bin/true"));
        files.put("accomplishments/ubuntu-community/en/general/broken.accomplishment", Content.text("not a key file\n"));
        repo.commit("main", files);
        String refused = post("/api/store/submissions", "{\"source\": \"" + repo.url() + "\", \"ref\": \"main\"}");
        assertTrue(refused.startsWith("422 "), refused);
        assertTrue(refused.contains("\"reason\":\"not-a-regular-file\""), refused);
        String badSource = post("/api/store/submissions", "{\"source\": \"ssh://example.org/repo\", \"ref\": \"main\"}");
        assertTrue(badSource.startsWith("422 ") && badSource.contains("unsupported-source"), badSource);
        String missing = post("/api/collections/install", "{\"id\": \"no-such-collection\"}");
        assertTrue(missing.startsWith("422 ") && missing.contains("not-in-index"), missing);
        repo.close();
    }
}
