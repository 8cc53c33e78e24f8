package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.accomplishments.validator.signing.PinnedKeys;
import org.accomplishments.validator.signing.SignatureVerifier;
import org.accomplishments.validator.signing.VerificationResult;
import org.accomplishments.validator.trophy.SignedTrophyText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bulk apply of a few thousand rows, the service killed with SIGKILL at several moments while it writes, and
 * restarted on the same data directory each time (issue 10, item 4). The job resumes by itself; in the end every row
 * is issued exactly once: one {@code .trophy} and one {@code .asc} that verifies, bound to its share, an issued record
 * that can be revoked, nothing left half-written ({@code WRITING}) and no temporary file.
 *
 * <p>Sizes: {@code -Dit.bulk.shares=600} (times 5 accomplishments), {@code -Dit.bulk.kills=3}.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class BulkApplyCrashIT {

    private static final int SHARES = Integer.getInteger("it.bulk.shares", 600);
    private static final int KILLS = Integer.getInteger("it.bulk.kills", 3);
    private static final List<String> HEROES = List.of("community-hero", "hero-1", "hero-2", "hero-3", "hero-4");
    private static final Pattern PROGRESS = Pattern.compile("<span>(\\d+)</span> of <span>(\\d+)</span> rows");

    @TempDir
    Path temp;

    private ValidatorProcess service;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stopService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void killedWhileApplyingEveryRowEndsDoneOnceAndTheJobCompletes() throws Exception {
        Path dataDir = temp.resolve("var");
        Path collections = collectionWithFiveHumanIssuedAccomplishments();
        Map<String, String> properties = Map.of("validator.collections.path", collections.toString(),
                "validator.shares.rescan-interval", "1h");
        Path log = temp.resolve("service.log");
        Map<String, Path> shares = new TreeMap<>();
        for (int i = 0; i < SHARES; i++) {
            String id = UUID.randomUUID().toString();
            Path folder = dataDir.resolve("shares").resolve("u" + i + " (User " + i + ", " + id + ")");
            Files.createDirectories(folder);
            shares.put(id, folder);
        }
        service = ValidatorProcess.start(dataDir, properties, log);
        service.awaitHealthUp(Duration.ofSeconds(120));
        awaitAccepted(shares.size());

        StringBuilder csv = new StringBuilder("owner,accomplishment,note\n");
        for (String id : shares.keySet()) {
            for (String hero : HEROES) {
                csv.append(id).append(",example/").append(hero).append(",bulk crash test\n");
            }
        }
        int total = shares.size() * HEROES.size();
        HttpResponse<String> uploaded = upload(csv.toString());
        assertEquals(303, uploaded.statusCode(), uploaded.body());
        String job = uploaded.headers().firstValue("Location").orElseThrow();
        assertTrue(service.getText(job).contains(">" + total + "<"), "the dry run says every row would be issued");
        HttpResponse<String> applied = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
                        + job + "/apply")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + ValidatorProcess.TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, applied.statusCode(), applied.body());

        // Kill at a few moments of the run: early, midway, late (by rows done), each time restarting at once.
        List<Integer> done = new ArrayList<>();
        for (int k = 1; k <= KILLS; k++) {
            int target = total * k / (KILLS + 1);
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            int progress;
            while ((progress = progress(service.getText(job))) < target) {
                if (System.nanoTime() > deadline) {
                    fail("the job did not reach " + target + " rows (at " + progress + ")\n" + service.logTail());
                }
                Thread.sleep(20);
            }
            service.kill();
            done.add(progress);
            service = ValidatorProcess.start(dataDir, properties, log);
            service.awaitHealthUp(Duration.ofSeconds(120));
            String page = service.getText(job); // the job is still there after the restart
            assertTrue(page.contains("rows:"), page);
        }
        System.out.printf("BulkApplyCrashIT: %d rows, killed at %s rows done%n", total, done);

        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        String page = service.getText(job);
        while (!page.contains(">Done<")) {
            if (System.nanoTime() > deadline) {
                fail("the job did not complete after the restarts\n" + page + "\n" + service.logTail());
            }
            Thread.sleep(200);
            page = service.getText(job);
        }
        assertEquals(total, progress(page), page);
        Matcher issued = Pattern.compile("class=\"verdict-issued\">(\\d+)<").matcher(page);
        assertTrue(issued.find(), page);
        assertEquals(total, Integer.parseInt(issued.group(1)), "every row is issued, none failed or refused\n"
                + Files.readAllLines(log).stream().filter(l -> l.contains("bulk job") || l.contains("award #"))
                .limit(60).reduce("", (a, b) -> a + b + "\n"));

        // The disk: exactly the trophy and a good signature, bound to its share, per row; nothing else.
        PinnedKeys keys = PinnedKeys.parse(service.getText("/api/keys/all"));
        SignatureVerifier verifier = new SignatureVerifier();
        for (Map.Entry<String, Path> share : shares.entrySet()) {
            Path folder = share.getValue().resolve("example");
            List<String> names;
            try (Stream<Path> files = Files.list(folder)) {
                names = files.map(p -> p.getFileName().toString()).sorted().toList();
            }
            List<String> expected = new ArrayList<>();
            for (String hero : HEROES.stream().sorted().toList()) {
                expected.add(hero + ".trophy");
                expected.add(hero + ".trophy.asc");
            }
            assertEquals(expected, names, "share " + share.getKey());
            for (String hero : HEROES) {
                String asc = Files.readString(folder.resolve(hero + ".trophy.asc"), StandardCharsets.UTF_8);
                VerificationResult result = verifier.verify(asc, keys);
                if (!(result instanceof VerificationResult.Good good)) {
                    fail(share.getKey() + " " + hero + ": " + result);
                    return;
                }
                assertEquals(share.getKey(), SignedTrophyText.parse(good.signedText()).orElseThrow().binding()
                        .orElseThrow().shareId());
            }
        }
        try (Commands.Gpg gpg = new Commands.Gpg(temp.resolve("gnupg"))) {
            Path key = temp.resolve("validator.asc");
            Files.writeString(key, service.getText("/api/keys/all"), StandardCharsets.UTF_8);
            assertEquals(0, gpg.importKeys(key).exitCode());
            for (Path folder : shares.values().stream().limit(10).toList()) {
                Commands.Run verified = gpg.verifyFromStdin(Files.readAllBytes(folder.resolve("example/hero-2.trophy.asc")));
                assertEquals(0, verified.exitCode(), verified.toString());
            }
        }

        // The records: one issued award per row, none stuck in WRITING, each revocable.
        Map<String, Integer> perShareAndHero = new LinkedHashMap<>();
        List<Long> ids = new ArrayList<>();
        String before = "";
        // The issued list's rows: id, time, accomplishment, owner, share (a link to its page), issuer, state.
        Pattern row = Pattern.compile("<a href=\"/issued/(\\d+)\">\\d+</a></td>\\s*<td>[^<]*</td><td>(example/[a-z0-9-]+)</td>"
                + "\\s*<td>[^<]*</td><td>(?:<a [^>]*>)?([0-9a-f-]+)(?:</a>)?</td>\\s*<td>[^<]*</td>"
                + "\\s*<td><span[^>]*>([a-z]+)</span>");
        while (true) {
            String issuedPage = service.getText("/issued" + before);
            Matcher m = row.matcher(issuedPage);
            long last = -1;
            while (m.find()) {
                last = Long.parseLong(m.group(1));
                if (m.group(4).equals("failed")) {
                    continue; // an award a kill interrupted before its files: its row was done again
                }
                assertEquals("issued", m.group(4), "award #" + last + " is not stuck");
                perShareAndHero.merge(m.group(3) + " " + m.group(2), 1, Integer::sum);
                ids.add(last);
            }
            if (last < 0 || !issuedPage.contains("before=")) {
                break;
            }
            before = "?before=" + last;
        }
        assertEquals(total, perShareAndHero.size(), "an award for every row");
        assertTrue(perShareAndHero.values().stream().allMatch(n -> n == 1), "exactly one award per row");
        for (Long id : ids.subList(0, Math.min(ids.size(), 25))) {
            HttpResponse<String> revoked = service.postJson("/api/issued/" + id + "/revoke", ValidatorProcess.TOKEN,
                    "{\"reason\":\"crash test\"}");
            assertEquals(200, revoked.statusCode(), "award #" + id + ": " + revoked.body());
        }
        try (Stream<Path> all = Files.walk(dataDir.resolve("shares"))) {
            assertFalse(all.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")
                    || p.getFileName().toString().endsWith(".rejected")), "no temporary file, no rejection");
        }
    }

    private static int progress(String page) {
        Matcher m = PROGRESS.matcher(page);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private HttpResponse<String> upload(String csv) throws Exception {
        String boundary = "----b" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"crash.csv\""
                + "\r\nContent-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/bulk"))
                .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + ValidatorProcess.TOKEN)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private void awaitAccepted(int count) throws Exception {
        assertEquals(200, service.post("/api/shares/rescan", ValidatorProcess.TOKEN).statusCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            String status = service.getText("/api/status");
            long accepted = ValidatorProcess.JSON.readTree(status).path("shares").path("accepted").asLong();
            if (accepted >= count) {
                return;
            }
            Thread.sleep(200);
        }
        fail("the shares were not accepted within 120 s\n" + service.logTail());
    }

    /** The example collection with four more human-issued accomplishments, so each share takes five rows. */
    private Path collectionWithFiveHumanIssuedAccomplishments() throws Exception {
        Path source = ValidatorProcess.repo().resolve("examples").resolve("collections");
        Path target = temp.resolve("collections");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path copy = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(p, copy);
                    copy.toFile().setExecutable(p.toFile().canExecute());
                }
            }
        }
        Path en = target.resolve("accomplishments/example/en");
        String hero = Files.readString(en.resolve("community-hero.accomplishment"), StandardCharsets.UTF_8);
        for (String name : HEROES.subList(1, HEROES.size())) {
            Files.writeString(en.resolve(name + ".accomplishment"),
                    hero.replace("title = Community hero", "title = Hero " + name), StandardCharsets.UTF_8);
        }
        return target;
    }
}
