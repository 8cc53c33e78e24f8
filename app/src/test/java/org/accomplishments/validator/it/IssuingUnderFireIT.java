package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Human-issued trophies against the packaged jar when people and bad luck get in the way (issue 10, items 3 and 6):
 * a double click that sends the same award eight times at once, and an issued trophy whose signature is deleted.
 */
@Timeout(300)
class IssuingUnderFireIT {

    private static final String HERO = "example/community-hero";
    private static final String HERO_PATH = "example/community-hero.trophy";

    @TempDir
    Path temp;

    private ValidatorProcess service;

    @AfterEach
    void stopService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void eightSimultaneousAwardsOnEachOfTenSharesMakeExactlyOneAwardEach() throws Exception {
        Path dataDir = temp.resolve("var");
        startService(dataDir);
        Map<String, Path> shares = sharesArrive(dataDir, 10);
        int perShare = 8;
        CountDownLatch ready = new CountDownLatch(shares.size() * perShare);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(shares.size() * perShare);
        Map<String, List<Future<HttpResponse<String>>>> answers = new TreeMap<>();
        try {
            for (String shareId : shares.keySet()) {
                for (int i = 0; i < perShare; i++) {
                    answers.computeIfAbsent(shareId, s -> new ArrayList<>()).add(clients.submit(() -> {
                        ready.countDown();
                        go.await();
                        return service.postJson("/api/issued", ValidatorProcess.TOKEN, "{\"share\":\"" + shareId
                                + "\",\"accomplishment\":\"" + HERO + "\",\"note\":\"double click\"}");
                    }));
                }
            }
            ready.await();
            go.countDown();

            for (Map.Entry<String, List<Future<HttpResponse<String>>>> share : answers.entrySet()) {
                int created = 0;
                int conflicts = 0;
                for (Future<HttpResponse<String>> future : share.getValue()) {
                    HttpResponse<String> response = future.get();
                    if (response.statusCode() == 201) {
                        created++;
                    } else if (response.statusCode() == 409) {
                        conflicts++;
                        String message = ValidatorProcess.JSON.readTree(response.body()).path("message").asText();
                        assertTrue(message.contains("already has " + HERO) || message.contains("already holds " + HERO_PATH),
                                "the 409 says why: " + response.body());
                    } else {
                        fail("share " + share.getKey() + ": HTTP " + response.statusCode() + " " + response.body()
                                + "\n" + service.logTail());
                    }
                }
                assertEquals(1, created, "share " + share.getKey() + ": exactly one award is created");
                assertEquals(perShare - 1, conflicts, "share " + share.getKey() + ": the others get 409");
            }
        } finally {
            clients.shutdownNow();
        }

        // A rescan afterwards must find nothing to change: no rejection, no second signature.
        assertEquals(200, service.post("/api/shares/rescan", ValidatorProcess.TOKEN).statusCode());
        Thread.sleep(2000);
        String issuedPage = service.getText("/issued");
        Path key = temp.resolve("validator.asc");
        Files.writeString(key, service.getText("/api/keys/current"), StandardCharsets.UTF_8);
        try (Commands.Gpg gpg = new Commands.Gpg(temp.resolve("gnupg"))) {
            assertEquals(0, gpg.importKeys(key).exitCode());
            for (Map.Entry<String, Path> share : shares.entrySet()) {
                Path folder = share.getValue().resolve("example");
                List<String> names;
                try (Stream<Path> files = Files.list(folder)) {
                    names = files.map(p -> p.getFileName().toString()).sorted().toList();
                }
                assertEquals(List.of("community-hero.trophy", "community-hero.trophy.asc"), names,
                        "share " + share.getKey() + ": one trophy, one signature, nothing else");
                Commands.Run verified = gpg.verifyFromStdin(Files.readAllBytes(folder.resolve("community-hero.trophy.asc")));
                assertEquals(0, verified.exitCode(), share.getKey() + ": " + verified);
                assertTrue(verified.stdout().contains("[GNUPG:] GOODSIG"), verified.toString());
                // A row shows the share id once as its link's text (the link's address carries it too).
                assertEquals(1, count(issuedPage, ">" + share.getKey() + "<"), "one issued record for " + share.getKey());
                JsonNode trophies = service.getJson("/api/trophies?share=" + share.getKey());
                assertEquals(1, trophies.path("items").size(), trophies.toString());
                assertEquals("signed", trophies.path("items").get(0).path("state").asText(), trophies.toString());
            }
        }
    }

    @Test
    void anIssuedTrophyWhoseSignatureIsDeletedIsSignedAgainNotRejected() throws Exception {
        Path dataDir = temp.resolve("var");
        startService(dataDir);
        Map.Entry<String, Path> share = sharesArrive(dataDir, 1).entrySet().iterator().next();
        HttpResponse<String> awarded = service.postJson("/api/issued", ValidatorProcess.TOKEN,
                "{\"share\":\"" + share.getKey() + "\",\"accomplishment\":\"" + HERO + "\"}");
        assertEquals(201, awarded.statusCode(), awarded.body());
        long issuedId = ValidatorProcess.JSON.readTree(awarded.body()).path("id").asLong();
        Path trophy = share.getValue().resolve(HERO_PATH);
        Path asc = share.getValue().resolve(HERO_PATH + ".asc");
        Path rejected = share.getValue().resolve(HERO_PATH + ".rejected");
        byte[] trophyBytes = Files.readAllBytes(trophy);
        byte[] original = Files.readAllBytes(asc);

        Files.delete(asc);
        assertEquals(200, service.post("/api/shares/rescan", ValidatorProcess.TOKEN).statusCode());

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(asc) && !Files.exists(rejected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(asc), "a new .asc is written\n" + service.logTail());
        Thread.sleep(1500); // and stays so through another pass
        assertFalse(Files.exists(rejected), "an issued trophy is never rejected for a missing signature");
        assertArrayEquals(trophyBytes, Files.readAllBytes(trophy), "the .trophy is untouched");
        Path key = temp.resolve("validator.asc");
        Files.writeString(key, service.getText("/api/keys/current"), StandardCharsets.UTF_8);
        try (Commands.Gpg gpg = new Commands.Gpg(temp.resolve("gnupg"))) {
            assertEquals(0, gpg.importKeys(key).exitCode());
            Commands.Run verified = gpg.verifyFromStdin(Files.readAllBytes(asc));
            assertEquals(0, verified.exitCode(), verified.toString());
        }
        Commands.Run good = Commands.validatorCli("verify", "--key", key.toString(), "--share-id", share.getKey(),
                asc.toString());
        assertEquals(0, good.exitCode(), good.toString());

        // The user's client puts the original back: it is as good as ours, nothing is removed.
        Files.write(asc, original);
        assertEquals(200, service.post("/api/shares/rescan", ValidatorProcess.TOKEN).statusCode());
        Thread.sleep(2000);
        assertArrayEquals(original, Files.readAllBytes(asc), "the put-back original stays");
        assertFalse(Files.exists(rejected));

        // Revoked afterwards: the list names the signature, whichever of the two copies is checked.
        assertEquals(200, service.postJson("/api/issued/" + issuedId + "/revoke", ValidatorProcess.TOKEN,
                "{\"reason\":\"test\"}").statusCode());
        Path list = temp.resolve("revocations.asc");
        Files.writeString(list, service.getText("/api/revocations"), StandardCharsets.UTF_8);
        Commands.Run revoked = Commands.validatorCli("verify", "--key", key.toString(), "--revocations",
                list.toString(), asc.toString());
        assertEquals(4, revoked.exitCode(), revoked.toString());
    }

    private void startService(Path dataDir) throws Exception {
        Path collections = ValidatorProcess.repo().resolve("examples").resolve("collections");
        service = ValidatorProcess.start(dataDir, Map.of("validator.collections.path", collections.toString(),
                "validator.shares.rescan-interval", "1h"), temp.resolve("service.log"));
        service.awaitHealthUp(Duration.ofSeconds(120));
    }

    /** Share folders of the local backend, accepted by the service: share id → folder. */
    private Map<String, Path> sharesArrive(Path dataDir, int count) throws Exception {
        Map<String, Path> shares = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            Path folder = dataDir.resolve("shares").resolve("user" + i + "-trophies (User " + i + ", " + id + ")");
            Files.createDirectories(folder.resolve("example"));
            shares.put(id, folder);
        }
        assertEquals(200, service.post("/api/shares/rescan", ValidatorProcess.TOKEN).statusCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode list = service.getJson("/api/shares?state=accepted&size=500");
            long accepted = 0;
            for (JsonNode s : list.path("items")) {
                if (shares.containsKey(s.path("id").asText())) {
                    accepted++;
                }
            }
            if (accepted == count) {
                return shares;
            }
            Thread.sleep(200);
        }
        fail("the shares were not accepted within 60 s\n" + service.logTail());
        throw new AssertionError();
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
