package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * README "Try it", step by step, against the packaged jar: the example collection, the two example shares
 * copied in while the service runs, the verdicts written back, and the signed trophy verified with the tools a
 * user has (gpg, sqop, the jar's own {@code verify}).
 */
@Timeout(300)
class TryItIT {

    private static final String ALICE_ID = "7f3c9a52-2f0e-4d5e-9c1b-2a3f4e5d6c7b";
    private static final String ALICE = "alice-trophies (Alice, " + ALICE_ID + ")";
    private static final String BOB = "bob-trophies (Bob, 0b0b0b0b-1c1c-4d4d-8e8e-9f9f9f9f9f9f)";

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
    void theReadmeWalkthroughSignsRejectsAndVerifies() throws Exception {
        Path examples = ValidatorProcess.repo().resolve("examples");
        Path dataDir = temp.resolve("var");
        Path log = temp.resolve("service.log");

        // java -Dvalidator.collections.path=examples/collections -jar app/target/accomplishments-validator.jar
        service = ValidatorProcess.start(dataDir,
                Map.of("validator.collections.path", examples.resolve("collections").toString()), log);
        Duration up = service.awaitHealthUp(Duration.ofSeconds(120));
        System.out.printf("TryItIT: /health UP %.2f s after the start of the JVM%n", up.toMillis() / 1000.0);
        assertTrue(up.compareTo(Duration.ofSeconds(30)) <= 0,
                "/health must be UP within 30 s of the start, took " + up.toMillis() + " ms");
        JsonNode health = service.getJson("/health");
        assertEquals("UP", health.path("status").asText(), health.toString());

        // cp -r examples/shares/* var/shares/
        Path shares = dataDir.resolve("shares");
        assertTrue(Files.isDirectory(shares), "the service did not create " + shares
                + ", the folder the README copies the shares into");
        Map<String, byte[]> userFiles = copyTree(examples.resolve("shares"), shares);
        long copiedAt = System.nanoTime();

        Path aliceDir = shares.resolve(ALICE).resolve("example");
        Path bobDir = shares.resolve(BOB).resolve("example");
        Path aliceFirst = aliceDir.resolve("registered-email.trophy.asc");
        Path aliceSecond = aliceDir.resolve("second-step.trophy.asc");
        Path bobRejected = bobDir.resolve("registered-email.trophy.rejected");
        awaitFiles(List.of(aliceFirst, aliceSecond, bobRejected), Duration.ofSeconds(90));
        System.out.printf("TryItIT: the three verdict files appeared %.2f s after the copy%n",
                (System.nanoTime() - copiedAt) / 1e9);

        // Bob: information-mismatch, about exactly his trophy's bytes
        String rejection = Files.readString(bobRejected, StandardCharsets.UTF_8);
        List<String> lines = rejection.lines().toList();
        assertEquals("[rejection]", lines.get(0), rejection);
        assertTrue(lines.contains("id = example/registered-email"), rejection);
        assertTrue(lines.contains("reason = information-mismatch"), rejection);
        assertTrue(lines.contains("trophy-sha256 = " + sha256(userFiles.get(BOB + "/example/registered-email.trophy"))),
                rejection);
        assertFalse(Files.exists(bobDir.resolve("registered-email.trophy.asc")), "Bob got a signature too");
        assertFalse(Files.exists(aliceDir.resolve("registered-email.trophy.rejected")));
        assertFalse(Files.exists(aliceDir.resolve("second-step.trophy.rejected")));

        // Alice's local trophy: the ledger says ignored, and nothing is written for it
        awaitLocalTrophyIgnored();
        assertFalse(Files.exists(aliceDir.resolve("opened-the-app.trophy.asc")));
        assertFalse(Files.exists(aliceDir.resolve("opened-the-app.trophy.rejected")));

        // curl -s localhost:8080/api/keys/current > validator.asc
        Path key = temp.resolve("validator.asc");
        Files.writeString(key, service.getText("/api/keys/current"), StandardCharsets.UTF_8);
        String fingerprint = service.getJson("/api/status").path("key").path("fingerprint").asText();
        assertTrue(fingerprint.matches("[0-9A-Fa-f]{40}"), "status key fingerprint: " + fingerprint);
        byte[] asc = Files.readAllBytes(aliceFirst);
        String ascText = new String(asc, StandardCharsets.UTF_8);
        assertTrue(ascText.startsWith("-----BEGIN PGP SIGNED MESSAGE-----\n"), ascText);
        assertTrue(ascText.contains("share-id = " + ALICE_ID + "\n"), ascText);

        // gpg --import validator.asc && gpg --verify < "$A"
        try (Commands.Gpg gpg = new Commands.Gpg(temp.resolve("gnupg"))) {
            Commands.Run imported = gpg.importKeys(key);
            assertEquals(0, imported.exitCode(), imported.toString());
            for (Path signed : List.of(aliceFirst, aliceSecond)) {
                Commands.Run verified = gpg.verifyFromStdin(Files.readAllBytes(signed));
                assertEquals(0, verified.exitCode(), signed + ": " + verified);
                assertTrue(verified.stdout().lines().anyMatch(l -> l.startsWith("[GNUPG:] GOODSIG ")), verified.toString());
                String validSig = verified.stdout().lines().filter(l -> l.startsWith("[GNUPG:] VALIDSIG "))
                        .findFirst().orElseThrow(() -> new AssertionError("no VALIDSIG: " + verified));
                assertTrue(List.of(validSig.split(" ")).stream().anyMatch(fingerprint::equalsIgnoreCase),
                        "VALIDSIG does not name the key " + fingerprint + ": " + validSig);
            }
            // a tampered copy must not verify
            byte[] tampered = ascText.replace("email = alice@example.org", "email = mallory@example.org")
                    .getBytes(StandardCharsets.UTF_8);
            Commands.Run bad = gpg.verifyFromStdin(tampered);
            assertNotEquals(0, bad.exitCode(), "gpg accepted a tampered trophy: " + bad);
        }

        // sqop inline-verify validator.asc < "$A"
        Commands.Run sqop = Commands.sqopInlineVerify(key, asc);
        assertEquals(0, sqop.exitCode(), sqop.toString());
        assertTrue(sqop.stdout().contains("id = example/registered-email\n"), sqop.toString());
        assertTrue(sqop.stdout().contains("share-id = " + ALICE_ID + "\n"), sqop.toString());
        assertTrue(sqop.stdout().contains("key = " + fingerprint), sqop.toString());

        // java -jar accomplishments-validator.jar verify --key validator.asc --share-id ... "$A"
        Commands.Run good = Commands.validatorCli("verify", "--key", key.toString(), "--share-id", ALICE_ID,
                aliceFirst.toString());
        assertEquals(0, good.exitCode(), good.toString());
        String owner = aliceOwner();
        Commands.Run goodOwner = Commands.validatorCli("verify", "--key", key.toString(), "--share-id", ALICE_ID,
                "--owner", owner, aliceSecond.toString());
        assertEquals(0, goodOwner.exitCode(), goodOwner.toString());
        Commands.Run wrongOwner = Commands.validatorCli("verify", "--key", key.toString(), "--share-id", ALICE_ID,
                "--owner", "Bob", aliceSecond.toString());
        assertEquals(3, wrongOwner.exitCode(), wrongOwner.toString());
        Commands.Run wrongShare = Commands.validatorCli("verify", "--key", key.toString(), "--share-id",
                "0b0b0b0b-1c1c-4d4d-8e8e-9f9f9f9f9f9f", aliceFirst.toString());
        assertEquals(3, wrongShare.exitCode(), wrongShare.toString());

        // the .asc beside a modified copy of the trophy
        Path elsewhere = Files.createDirectories(temp.resolve("modified/example"));
        Files.copy(aliceFirst, elsewhere.resolve("registered-email.trophy.asc"));
        Files.writeString(elsewhere.resolve("registered-email.trophy"),
                new String(userFiles.get(ALICE + "/example/registered-email.trophy"), StandardCharsets.UTF_8)
                        .replace("date-accomplished = 2026-11-21 19:02", "date-accomplished = 2026-11-22 08:00"),
                StandardCharsets.UTF_8);
        Commands.Run differs = Commands.validatorCli("verify", "--key", key.toString(), "--share-id", ALICE_ID,
                elsewhere.resolve("registered-email.trophy.asc").toString());
        assertEquals(2, differs.exitCode(), differs.toString());

        // the history of Alice's first trophy: an attempt with exit code 0, then signed
        JsonNode detail = trophy(ALICE_ID, "example/registered-email.trophy");
        List<String> kinds = new ArrayList<>();
        detail.path("history").forEach(e -> kinds.add(e.path("kind").asText()));
        assertTrue(kinds.contains("signed"), "history: " + detail);
        assertEquals("signed", detail.path("trophy").path("state").asText(), detail.toString());
        assertEquals(fingerprint, detail.path("trophy").path("signedBy").asText(), detail.toString());

        // every file the users wrote is still there, byte for byte; everything else is a verdict of ours
        assertUserFilesUnchanged(shares, userFiles);
        System.out.println("TryItIT: " + userFiles.size() + " user files unchanged; verdicts verified with gpg, "
                + "sqop and the verify CLI");

        // README "Web UI": award the example's human-issued accomplishment to Alice (here through the API with the
        // operator token), check it like any signed trophy, revoke it, and see verify --revocations refuse it.
        java.net.http.HttpResponse<String> awarded = service.postJson("/api/issued", ValidatorProcess.TOKEN,
                "{\"share\":\"" + ALICE_ID + "\",\"accomplishment\":\"example/community-hero\",\"note\":\"Try it\"}");
        assertEquals(201, awarded.statusCode(), awarded.body());
        Path hero = aliceDir.resolve("community-hero.trophy.asc");
        assertEquals(0, Commands.validatorCli("verify", "--key", key.toString(), "--share-id", ALICE_ID,
                hero.toString()).exitCode());
        try (Commands.Gpg gpg = new Commands.Gpg(temp.resolve("gnupg-hero"))) {
            assertEquals(0, gpg.importKeys(key).exitCode());
            Commands.Run verified = gpg.verifyFromStdin(Files.readAllBytes(hero));
            assertEquals(0, verified.exitCode(), verified.toString());
        }
        long issuedId = ValidatorProcess.JSON.readTree(awarded.body()).path("id").asLong();
        java.net.http.HttpResponse<String> revoked = service.postJson("/api/issued/" + issuedId + "/revoke",
                ValidatorProcess.TOKEN, "{\"reason\":\"only a try\"}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        Path list = temp.resolve("revocations.asc");
        Files.writeString(list, service.getText("/api/revocations"), StandardCharsets.UTF_8);
        Commands.Run refused = Commands.validatorCli("verify", "--key", key.toString(), "--revocations",
                list.toString(), hero.toString());
        assertEquals(4, refused.exitCode(), refused.toString());
        assertEquals(0, Commands.validatorCli("verify", "--key", key.toString(), "--revocations", list.toString(),
                aliceFirst.toString()).exitCode(), "a trophy not in the list still verifies");
    }

    /** The owner the service took from Alice's share name, as GET /api/shares reports it. */
    private String aliceOwner() throws Exception {
        for (JsonNode share : service.getJson("/api/shares?size=500").path("items")) {
            if (ALICE_ID.equals(share.path("id").asText())) {
                assertEquals("accepted", share.path("state").asText(), share.toString());
                return share.path("owner").asText();
            }
        }
        throw new AssertionError("Alice's share is not in GET /api/shares");
    }

    private void awaitLocalTrophyIgnored() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            JsonNode t = findTrophy(ALICE_ID, "example/opened-the-app.trophy");
            if (t != null) {
                last = t.toString();
                if ("ignored".equals(t.path("state").asText())) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        fail("Alice's local trophy was not marked ignored within 60 s: " + last + "\n" + service.logTail());
    }

    private JsonNode findTrophy(String shareId, String path) throws Exception {
        JsonNode page = service.getJson("/api/trophies?share=" + shareId + "&size=500");
        for (JsonNode item : page.path("items")) {
            if (path.equals(item.path("path").asText())) {
                return item;
            }
        }
        return null;
    }

    private JsonNode trophy(String shareId, String path) throws Exception {
        JsonNode row = findTrophy(shareId, path);
        if (row == null) {
            fail("no trophy " + path + " in share " + shareId);
        }
        return service.getJson("/api/trophies/" + row.path("id").asLong());
    }

    private void awaitFiles(List<Path> files, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (files.stream().allMatch(Files::isRegularFile)) {
                return;
            }
            assertTrue(service.isAlive(), "the service died\n" + service.logTail());
            Thread.sleep(100);
        }
        List<String> found;
        try (Stream<Path> all = Files.walk(files.get(0).getParent().getParent().getParent())) {
            found = all.map(Path::toString).toList();
        }
        fail("not all of " + files + " appeared within " + timeout.toSeconds() + " s; found " + found
                + "\nstatus: " + service.getText("/api/status") + "\ntrophies: " + service.getText("/api/trophies")
                + "\n" + service.logTail());
    }

    /** Like {@code cp -r from/* to/}; returns the copied files' bytes by path relative to {@code to}. */
    static Map<String, byte[]> copyTree(Path from, Path to) throws IOException {
        Map<String, byte[]> copied = new TreeMap<>();
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(from)) {
            entries = walk.sorted().toList();
        }
        for (Path source : entries) {
            if (source.equals(from)) {
                continue;
            }
            String relative = from.relativize(source).toString();
            Path target = to.resolve(relative);
            if (Files.isDirectory(source)) {
                Files.createDirectories(target);
            } else {
                byte[] bytes = Files.readAllBytes(source);
                Files.write(target, bytes);
                copied.put(relative, bytes);
            }
        }
        return copied;
    }

    /**
     * Every user file is present and unchanged, and every other file under {@code shares} is a
     * {@code .trophy.asc} or {@code .trophy.rejected} beside a user's {@code .trophy}: no temporary file, nothing else.
     */
    static void assertUserFilesUnchanged(Path shares, Map<String, byte[]> userFiles) throws IOException {
        for (Map.Entry<String, byte[]> file : userFiles.entrySet()) {
            Path path = shares.resolve(file.getKey());
            assertTrue(Files.isRegularFile(path), "the user's file " + path + " is gone");
            assertArrayEquals(file.getValue(), Files.readAllBytes(path), "the user's file " + path + " changed");
        }
        List<String> strays = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(shares)) {
            walk.filter(p -> !Files.isDirectory(p)).forEach(p -> {
                String relative = shares.relativize(p).toString();
                if (userFiles.containsKey(relative)) {
                    return;
                }
                String base = relative.endsWith(".trophy.asc") ? relative.substring(0, relative.length() - 4)
                        : relative.endsWith(".trophy.rejected") ? relative.substring(0, relative.length() - 9) : null;
                if (base == null || !userFiles.containsKey(base)) {
                    strays.add(relative);
                }
            });
        }
        assertEquals(List.of(), strays, "files in the shares that neither the users nor a verdict explain");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
