package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.accomplishments.validator.signing.PinnedKeys;
import org.accomplishments.validator.signing.SignatureVerifier;
import org.accomplishments.validator.signing.VerificationResult;
import org.accomplishments.validator.trophy.ParseResult;
import org.accomplishments.validator.trophy.SignedTrophy;
import org.accomplishments.validator.trophy.SignedTrophyText;
import org.accomplishments.validator.trophy.TrophyParser;
import org.accomplishments.validator.trophy.ValidationBinding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety, the design's first priority: thousands of trophies, the service killed with SIGKILL at random
 * moments while it works and restarted on the same data directory, then a final run left to finish. Afterwards
 * every global trophy has exactly one verdict (a valid, share-bound {@code .asc}, or a {@code .rejected} with the
 * expected reason, never both), nothing was signed twice, no temporary file is left, the ledger agrees with the
 * disk, and every file the users wrote is unchanged.
 *
 * <p>Sizes: {@code -Dit.crash.shares=200} (10 trophies each), {@code -Dit.crash.kills=6},
 * {@code -Dit.crash.seed=...} to repeat a run's kill moments and mismatches.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class CrashSafetyIT {

    private static final int SHARES = Integer.getInteger("it.crash.shares", 200);
    private static final int PER_SHARE = 10;
    private static final int KILLS = Integer.getInteger("it.crash.kills", 6);
    private static final int MISMATCH_PERCENT = 10;
    private static final List<String> OPEN_STATES = List.of("pending", "waiting", "signing", "rejecting");

    @TempDir
    Path temp;

    private ValidatorProcess service;

    /** One trophy a user wrote, and the verdict it must end with. */
    record Expected(String shareDir, String shareId, String relative, boolean mismatch) {
        String file() {
            return shareDir + "/" + relative;
        }
    }

    @AfterEach
    void stopService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void killedAtRandomMomentsEveryTrophyEndsWithExactlyOneVerdict() throws Exception {
        long seed = Long.getLong("it.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        long began = System.nanoTime();
        System.out.printf("CrashSafetyIT: %d shares x %d trophies, %d kills, seed %d (-Dit.crash.seed=%d repeats it)%n",
                SHARES, PER_SHARE, KILLS, seed, seed);

        Path collections = temp.resolve("collections");
        writeCollection(collections);
        Path dataDir = temp.resolve("var");
        Path shares = Files.createDirectories(dataDir.resolve("shares"));
        Path staging = Files.createDirectories(temp.resolve("staging"));
        Path log = temp.resolve("service.log");
        Map<String, String> properties = Map.of("validator.collections.path", collections.toString());

        // The users' shares, prepared outside and moved in whole (a rename), the way a sync client delivers them.
        List<Expected> expected = new ArrayList<>();
        Map<String, byte[]> userFiles = new TreeMap<>();
        List<Path> prepared = new ArrayList<>();
        for (int i = 0; i < SHARES; i++) {
            prepared.add(prepareShare(staging, i, random, MISMATCH_PERCENT, expected, userFiles));
        }
        long mismatches = expected.stream().filter(Expected::mismatch).count();
        int initial = SHARES / 2;
        for (Path share : prepared.subList(0, initial)) {
            moveIn(share, shares);
        }
        List<Path> late = new ArrayList<>(prepared.subList(initial, prepared.size()));
        int lateBatches = Math.max(1, Math.min(3, KILLS - 1));
        System.out.printf("CrashSafetyIT: %d trophies (%d with mismatching information); %d shares there at the "
                + "first start, %d arrive during the runs%n", expected.size(), mismatches, initial, late.size());

        // Runs that end in SIGKILL.
        List<Duration> upTimes = new ArrayList<>();
        for (int run = 0; run < KILLS; run++) {
            long launched = System.nanoTime();
            service = ValidatorProcess.start(dataDir, properties, log);
            String when;
            if (run == 2) {
                // once during the start itself: key, collections, migrations, lease release, catch-up rescan
                long delay = 1500 + random.nextInt(4000);
                sleepWhileAlive(delay);
                when = String.format("%.1f s after launch (during the start)", delay / 1000.0);
            } else {
                Duration up = service.awaitHealthUp(Duration.ofSeconds(120));
                upTimes.add(up);
                if (run >= 1 && !late.isEmpty()) {
                    int batch = (late.size() + lateBatches - 1) / lateBatches;
                    List<Path> now = new ArrayList<>(late.subList(0, Math.min(batch, late.size())));
                    late.removeAll(now);
                    for (Path share : now) {
                        moveIn(share, shares);
                    }
                }
                long delay = 500 + random.nextInt(5000);
                sleepWhileAlive(delay);
                when = String.format("UP after %.1f s, killed %.1f s later", up.toMillis() / 1000.0, delay / 1000.0);
            }
            String progress = progress(service);
            service.kill();
            service.close();
            service = null;
            int[] onDisk = verdictsOnDisk(shares, expected);
            System.out.printf("CrashSafetyIT: kill %d: %s; %s; on disk %d .asc, %d .rejected; run %.1f s%n",
                    run + 1, when, progress, onDisk[0], onDisk[1], (System.nanoTime() - launched) / 1e9);
        }
        for (Path share : late) { // whatever has not arrived yet arrives while the service is down
            moveIn(share, shares);
        }

        // The final run, left to finish.
        long finalStart = System.nanoTime();
        service = ValidatorProcess.start(dataDir, properties, log);
        upTimes.add(service.awaitHealthUp(Duration.ofSeconds(120)));
        awaitEverythingDecided(shares, expected, Duration.ofMinutes(6));
        double finalRun = (System.nanoTime() - finalStart) / 1e9;
        Thread.sleep(2000); // anything still moving would show in the checks below

        // 1. exactly one verdict per trophy, the expected one
        PinnedKeys keys = PinnedKeys.parse(service.getText("/api/keys/all"));
        JsonNode status = service.getJson("/api/status");
        String activeKey = status.path("key").path("fingerprint").asText();
        Map<String, String> owners = shareOwners();
        SignatureVerifier verifier = new SignatureVerifier();
        List<String> problems = new ArrayList<>();
        TreeSet<String> ascOnDisk = new TreeSet<>();
        TreeSet<String> rejectedOnDisk = new TreeSet<>();
        long verifyStart = System.nanoTime();
        for (Expected t : expected) {
            Path trophy = shares.resolve(t.file());
            Path asc = shares.resolve(t.file() + ".asc");
            Path rejected = shares.resolve(t.file() + ".rejected");
            boolean hasAsc = Files.exists(asc);
            boolean hasRejected = Files.exists(rejected);
            String key = t.shareId() + " " + t.relative();
            if (hasAsc) {
                ascOnDisk.add(key);
            }
            if (hasRejected) {
                rejectedOnDisk.add(key);
            }
            if (hasAsc && hasRejected) {
                problems.add(t.file() + ": both .asc and .rejected");
            } else if (t.mismatch()) {
                if (!hasRejected) {
                    problems.add(t.file() + ": expected information-mismatch, found " + (hasAsc ? ".asc" : "nothing"));
                } else {
                    String text = Files.readString(rejected, StandardCharsets.UTF_8);
                    if (!text.lines().toList().contains("reason = information-mismatch")
                            || !text.contains("trophy-sha256 = " + TryItIT.sha256(Files.readAllBytes(trophy)))) {
                        problems.add(t.file() + ".rejected is not the expected verdict:\n" + text);
                    }
                }
            } else if (!hasAsc) {
                problems.add(t.file() + ": expected a signature, found " + (hasRejected
                        ? ".rejected: " + Files.readString(rejected, StandardCharsets.UTF_8) : "nothing"));
            } else {
                String bad = checkSignature(verifier, keys, Files.readAllBytes(asc), Files.readAllBytes(trophy),
                        t.shareId(), owners.get(t.shareId()));
                if (bad != null) {
                    problems.add(t.file() + ".asc: " + bad);
                }
            }
        }
        System.out.printf("CrashSafetyIT: verified %d signatures in-process in %.1f s%n", ascOnDisk.size(),
                (System.nanoTime() - verifyStart) / 1e9);
        assertEquals(List.of(), firstOf(problems), problems.size() + " trophies without exactly the expected verdict");
        assertEquals(expected.size() - mismatches, ascOnDisk.size());
        assertEquals(mismatches, rejectedOnDisk.size());

        // 2. the real tools agree on a sample
        verifySampleWithRealTools(random, shares, expected, activeKey, status);

        // 3. no temporary file anywhere, nothing left in the work directory
        List<String> temporaries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(shares)) {
            walk.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".accomplishments-validator-") || n.endsWith(".tmp"))
                    .forEach(temporaries::add);
        }
        assertEquals(List.of(), temporaries, "temporary files left in the shares");
        Path work = dataDir.resolve("work");
        if (Files.isDirectory(work)) {
            try (Stream<Path> walk = Files.walk(work)) {
                List<String> left = walk.filter(p -> !p.equals(work)).map(p -> work.relativize(p).toString()).toList();
                assertEquals(List.of(), left, "left in " + work + " after all runs ended");
            }
        }

        // 4. the ledger agrees with the disk, and no trophy was signed (or rejected) twice
        Map<String, Long> byState = new TreeMap<>();
        Map<String, JsonNode> signedRows = new TreeMap<>();
        Map<String, JsonNode> rejectedRows = new TreeMap<>();
        for (JsonNode row : allTrophies(null)) {
            String state = row.path("state").asText();
            byState.merge(state, 1L, Long::sum);
            String key = row.path("shareId").asText() + " " + row.path("path").asText();
            Map<String, JsonNode> target = "signed".equals(state) ? signedRows : "rejected".equals(state) ? rejectedRows : null;
            if (target != null && target.put(key, row) != null) {
                problems.add("two " + state + " rows for " + key);
            }
        }
        System.out.println("CrashSafetyIT: ledger rows by state " + byState);
        assertEquals(List.of(), firstOf(problems));
        assertEquals(ascOnDisk, signedRows.keySet(), "signed rows in the ledger vs .asc files on disk");
        assertEquals(rejectedOnDisk, rejectedRows.keySet(), "rejected rows in the ledger vs .rejected files on disk");
        assertEquals(ascOnDisk.size(), allTrophies("signed").size(), "GET /api/trophies?state=signed");
        assertEquals(rejectedOnDisk.size(), allTrophies("rejected").size(), "GET /api/trophies?state=rejected");
        for (String state : OPEN_STATES) {
            assertFalse(byState.containsKey(state), "rows still " + state + ": " + byState);
        }
        assertEquals(expected.size(), byState.getOrDefault("signed", 0L) + byState.getOrDefault("rejected", 0L),
                "every trophy is one signed or rejected row, and nothing else (no superseded or vanished rows "
                        + "for files that never changed): " + byState);

        int recognised = 0;
        long historyStart = System.nanoTime();
        for (JsonNode row : signedRows.values()) {
            JsonNode detail = service.getJson("/api/trophies/" + row.path("id").asLong());
            Map<String, Integer> kinds = kinds(detail);
            int signedEvents = kinds.getOrDefault("signed", 0);
            int recognisedEvents = kinds.getOrDefault("recognised", 0);
            recognised += recognisedEvents;
            if (signedEvents + recognisedEvents != 1) {
                problems.add("trophy " + row.path("id") + " (" + row.path("shareId").asText() + " "
                        + row.path("path").asText() + "): " + signedEvents + " signed and " + recognisedEvents
                        + " recognised events: " + timeline(detail));
            }
            if (!activeKey.equals(row.path("signedBy").asText()) && recognisedEvents == 0) {
                problems.add("trophy " + row.path("id") + " signedBy " + row.path("signedBy") + ", not " + activeKey);
            }
        }
        for (JsonNode row : rejectedRows.values()) {
            JsonNode detail = service.getJson("/api/trophies/" + row.path("id").asLong());
            Map<String, Integer> kinds = kinds(detail);
            if (kinds.getOrDefault("rejected", 0) != 1 || !"information-mismatch".equals(row.path("reason").asText())) {
                problems.add("trophy " + row.path("id") + " (" + row.path("shareId").asText() + " "
                        + row.path("path").asText() + "): reason " + row.path("reason") + ", events " + timeline(detail));
            }
        }
        System.out.printf("CrashSafetyIT: %d histories read in %.1f s; %d signatures recognised after a crash "
                + "instead of being signed again%n", signedRows.size() + rejectedRows.size(),
                (System.nanoTime() - historyStart) / 1e9, recognised);
        assertEquals(List.of(), firstOf(problems), problems.size() + " ledger histories are wrong");

        // 5. every file the users wrote is unchanged, and nothing else is in the shares
        TryItIT.assertUserFilesUnchanged(shares, userFiles);
        JsonNode acceptedShares = service.getJson("/api/shares?state=accepted&size=1");
        assertEquals(SHARES, acceptedShares.path("total").asLong(), acceptedShares.toString());

        System.out.printf("CrashSafetyIT: PASS: %d trophies (%d signed, %d rejected) in %d shares, %d kills; "
                        + "/health UP after %s; final run %.1f s; total %.1f s%n", expected.size(), ascOnDisk.size(),
                rejectedOnDisk.size(), SHARES, KILLS, upTimes.stream().map(d -> String.format("%.1fs",
                        d.toMillis() / 1000.0)).toList(), finalRun, (System.nanoTime() - began) / 1e9);
    }

    /** Null when the .asc is a good signature by a published key, over this trophy, bound to this share. */
    private static String checkSignature(SignatureVerifier verifier, PinnedKeys keys, byte[] asc, byte[] trophy,
                                         String shareId, String owner) {
        VerificationResult result = verifier.verify(asc, keys);
        if (!(result instanceof VerificationResult.Good good)) {
            return "does not verify: " + result;
        }
        ParseResult<SignedTrophy> parsed = SignedTrophyText.parse(good.signedText());
        if (!parsed.isParsed()) {
            return "signed text unreadable: " + parsed;
        }
        SignedTrophy signed = parsed.orElseThrow();
        if (!(TrophyParser.parse(trophy) instanceof TrophyParser.Parsed original)) {
            return "the user's trophy does not parse";
        }
        if (!signed.trophySection().equals(original.trophy().trophySection())) {
            return "signed [trophy] differs from the .trophy:\n" + signed.trophySection();
        }
        if (signed.binding().isEmpty()) {
            return "no [validation] binding";
        }
        ValidationBinding binding = signed.binding().get();
        if (!binding.shareId().equals(shareId)) {
            return "bound to share " + binding.shareId() + ", not " + shareId;
        }
        if (owner != null && !binding.owner().equals(ValidationBinding.sanitise(owner))) {
            return "bound to owner " + binding.owner() + ", not " + owner;
        }
        if (!binding.keyFingerprint().equalsIgnoreCase(good.fingerprint())) {
            return "[validation] key " + binding.keyFingerprint() + " but signed by " + good.fingerprint();
        }
        return null;
    }

    private void verifySampleWithRealTools(Random random, Path shares, List<Expected> expected, String activeKey,
                                           JsonNode status) throws Exception {
        List<Expected> signed = new ArrayList<>(expected.stream().filter(t -> !t.mismatch()).toList());
        java.util.Collections.shuffle(signed, random);
        Path keyFile = temp.resolve("validator-keys.asc");
        Files.writeString(keyFile, service.getText("/api/keys/all"), StandardCharsets.UTF_8);
        try (Commands.Gpg gpg = new Commands.Gpg(temp.resolve("gnupg"))) {
            Commands.Run imported = gpg.importKeys(keyFile);
            assertEquals(0, imported.exitCode(), imported.toString());
            for (Expected t : signed.subList(0, Math.min(5, signed.size()))) {
                Commands.Run run = gpg.verifyFromStdin(Files.readAllBytes(shares.resolve(t.file() + ".asc")));
                assertEquals(0, run.exitCode(), t.file() + ".asc: " + run);
                assertTrue(run.stdout().contains("[GNUPG:] GOODSIG "), run.toString());
                assertTrue(run.stdout().lines().anyMatch(l -> l.startsWith("[GNUPG:] VALIDSIG ")
                        && List.of(l.split(" ")).contains(activeKey)), "VALIDSIG by " + activeKey + ": " + run);
            }
        }
        for (Expected t : signed.subList(0, Math.min(2, signed.size()))) {
            Path asc = shares.resolve(t.file() + ".asc");
            Commands.Run sqop = Commands.sqopInlineVerify(keyFile, Files.readAllBytes(asc));
            assertEquals(0, sqop.exitCode(), sqop.toString());
            Commands.Run cli = Commands.validatorCli("verify", "--key", keyFile.toString(), "--share-id", t.shareId(),
                    asc.toString());
            assertEquals(0, cli.exitCode(), cli.toString());
        }
    }

    private void awaitEverythingDecided(Path shares, List<Expected> expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        long lastPrint = 0;
        while (System.nanoTime() < deadline) {
            assertTrue(service.isAlive(), "the final run died\n" + service.logTail());
            JsonNode status = service.getJson("/api/status");
            JsonNode trophies = status.path("trophies");
            long open = OPEN_STATES.stream().mapToLong(s -> trophies.path(s).asLong()).sum();
            long accepted = status.path("shares").path("accepted").asLong();
            int[] onDisk = verdictsOnDisk(shares, expected);
            last = "trophies " + trophies + ", shares " + status.path("shares") + ", inFlight "
                    + status.path("inFlight") + ", on disk " + onDisk[0] + " .asc + " + onDisk[1] + " .rejected";
            if (open == 0 && accepted == SHARES && status.path("inFlight").asInt() == 0
                    && onDisk[2] == expected.size()) {
                System.out.println("CrashSafetyIT: final run done: " + last);
                return;
            }
            if (System.nanoTime() - lastPrint > 15_000_000_000L) {
                System.out.println("CrashSafetyIT: final run: " + last);
                lastPrint = System.nanoTime();
            }
            Thread.sleep(1000);
        }
        StringBuilder open = new StringBuilder();
        for (String state : OPEN_STATES) {
            JsonNode page = service.getJson("/api/trophies?state=" + state + "&size=5");
            for (JsonNode item : page.path("items")) {
                open.append('\n').append(service.getText("/api/trophies/" + item.path("id").asLong()));
            }
        }
        fail("the final run did not finish within " + timeout.toMinutes() + " min: " + last + open + "\n"
                + service.logTail());
    }

    /** .asc count, .rejected count, trophies with at least one of them. */
    private static int[] verdictsOnDisk(Path shares, List<Expected> expected) {
        int asc = 0;
        int rejected = 0;
        int decided = 0;
        for (Expected t : expected) {
            boolean a = Files.exists(shares.resolve(t.file() + ".asc"));
            boolean r = Files.exists(shares.resolve(t.file() + ".rejected"));
            asc += a ? 1 : 0;
            rejected += r ? 1 : 0;
            decided += a || r ? 1 : 0;
        }
        return new int[] {asc, rejected, decided};
    }

    private String progress(ValidatorProcess running) {
        try {
            JsonNode status = running.getJson("/api/status");
            return "ledger " + status.path("trophies") + ", accepted shares " + status.path("shares").path("accepted");
        } catch (Exception | AssertionError e) {
            return "no status (" + e.getClass().getSimpleName() + ")";
        }
    }

    private void sleepWhileAlive(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            assertTrue(service.isAlive(), "the service died on its own\n" + service.logTail());
            Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    private List<JsonNode> allTrophies(String state) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode answer = service.getJson("/api/trophies?size=500&page=" + page
                    + (state == null ? "" : "&state=" + state));
            answer.path("items").forEach(rows::add);
            if (answer.path("items").size() < 500) {
                assertEquals(answer.path("total").asLong(), rows.size(), "paging lost or repeated rows");
                return rows;
            }
        }
    }

    private Map<String, String> shareOwners() throws Exception {
        Map<String, String> owners = new LinkedHashMap<>();
        for (int page = 0; ; page++) {
            JsonNode answer = service.getJson("/api/shares?size=500&page=" + page);
            answer.path("items").forEach(s -> owners.put(s.path("id").asText(), s.path("owner").asText()));
            if (answer.path("items").size() < 500) {
                return owners;
            }
        }
    }

    private static Map<String, Integer> kinds(JsonNode detail) {
        Map<String, Integer> kinds = new TreeMap<>();
        detail.path("history").forEach(e -> kinds.merge(e.path("kind").asText(), 1, Integer::sum));
        return kinds;
    }

    /** The history as "kind@at (state): detail" lines, for failure messages. */
    static String timeline(JsonNode detail) {
        StringBuilder out = new StringBuilder();
        detail.path("history").forEach(e -> out.append("\n    ").append(e.path("kind").asText()).append('@')
                .append(e.path("at").asText()).append(" (").append(e.path("state").asText()).append("): ")
                .append(e.path("detail").asText()));
        return out.toString();
    }

    private static List<String> firstOf(List<String> problems) {
        return problems.subList(0, Math.min(10, problems.size()));
    }

    static void moveIn(Path share, Path shares) throws IOException {
        Files.move(share, shares.resolve(share.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    /** One share of {@code PER_SHARE} global trophies, about one in ten claiming an e-mail address not the user's. */
    static Path prepareShare(Path staging, int index, Random random, int mismatchPercent, List<Expected> expected,
                             Map<String, byte[]> userFiles) throws IOException {
        return prepareShare(staging, index, PER_SHARE, random, mismatchPercent, expected, userFiles);
    }

    static Path prepareShare(Path staging, int index, int trophies, Random random, int mismatchPercent,
                             List<Expected> expected, Map<String, byte[]> userFiles) throws IOException {
        String shareId = new UUID(random.nextLong(), random.nextLong()).toString();
        String dir = String.format("user-%03d (User %03d, %s)", index, index, shareId);
        Path root = staging.resolve(dir);
        String email = String.format("user%03d@example.org", index);
        write(root, ".extrainformation/email", (email + "\n").getBytes(StandardCharsets.UTF_8), dir, userFiles);
        for (int n = 0; n < trophies; n++) {
            boolean mismatch = random.nextInt(100) < mismatchPercent;
            String relative = "crash/task-" + n + ".trophy";
            String trophy = "[trophy]\n"
                    + "version = 0.2\n"
                    + "id = crash/task-" + n + "\n"
                    + String.format("date-accomplished = 2026-11-21 19:%02d", n % 60) + "\n"
                    + "needs-signing = true\n"
                    + "needs-information = email\n"
                    + "email = " + (mismatch ? String.format("someone-else%03d@example.org", index) : email) + "\n";
            write(root, relative, trophy.getBytes(StandardCharsets.UTF_8), dir, userFiles);
            expected.add(new Expected(dir, shareId, relative, mismatch));
        }
        return root;
    }

    private static void write(Path root, String relative, byte[] bytes, String dir, Map<String, byte[]> userFiles)
            throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        userFiles.put(dir + "/" + relative, bytes);
    }

    /** Collection {@code crash}: {@code PER_SHARE} global accomplishments needing an e-mail, each with a script {@code exit 0}. */
    static void writeCollection(Path root) throws IOException {
        writeCollection(root, PER_SHARE);
    }

    static void writeCollection(Path root, int accomplishmentCount) throws IOException {
        Path accomplishments = Files.createDirectories(root.resolve("accomplishments/crash/en"));
        Files.writeString(root.resolve("accomplishments/crash/ABOUT"),
                "[general]\nname = Crash Test Collection\nlangdefault = en\n");
        Files.createDirectories(root.resolve("accomplishments/crash/extrainformation"));
        Files.writeString(root.resolve("accomplishments/crash/extrainformation/email"),
                "[label]\nen = E-mail address\n\n[description]\nen = Your e-mail address\n\n"
                        + "[regex]\nvalue = ^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$\n");
        Path scripts = Files.createDirectories(root.resolve("scripts/crash"));
        for (int n = 0; n < accomplishmentCount; n++) {
            Files.writeString(accomplishments.resolve("task-" + n + ".accomplishment"),
                    "[accomplishment]\ntitle = Did task " + n + "\ndescription = Task " + n
                            + " of the crash test\nneeds-signing = true\nneeds-information = email\n");
            Path script = scripts.resolve("task-" + n + ".sh");
            Files.writeString(script, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
