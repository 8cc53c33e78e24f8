package org.accomplishments.validator.share.syncthing;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import org.accomplishments.validator.cli.ValidatorCommand;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareRegistry;
import org.accomplishments.validator.share.ShareState;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.accomplishments.validator.validation.TrophyInbox;
import org.accomplishments.validator.validation.TrophyLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The service on the syncthing backend with real Syncthing instances on loopback: A (the appliance's), B (a user),
 * C (a hostile second user) and D (a device on the deny list). Offer and rescan timers are an hour unless a step
 * turns events off, so everything else is driven by Syncthing's events. The steps build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncthingScenariosTest {
    private static final String COLLECTION = "scn";

    @TempDir
    static Path dir;
    private Path dataDir;
    private TestSyncthing a;
    private TestSyncthing b;
    private TestSyncthing c;
    private TestSyncthing d;
    private ApplicationContext service;
    private final String folderB = "accomplishments-" + UUID.randomUUID();
    private Path pathB;
    private String shareB;

    @BeforeAll
    void start() throws Exception {
        dataDir = dir.resolve("validator-data");
        writeCollection(dataDir.resolve("collections"));
        a = new TestSyncthing(dir.resolve("A"), "appliance").start();
        b = new TestSyncthing(dir.resolve("B"), "bob").start();
        c = new TestSyncthing(dir.resolve("C"), "mallory").start();
        d = new TestSyncthing(dir.resolve("D"), "denied").start();
        for (TestSyncthing user : List.of(b, c, d)) {
            user.addDevice(a);
        }
        pathB = dir.resolve("B-folders/trophies");
        shareB = SyncthingLayout.shareId(b.deviceId, folderB);
        startService(true);
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        for (TestSyncthing s : new TestSyncthing[]{d, c, b, a}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    private void startService(boolean events) {
        Map<String, Object> p = new HashMap<>();
        p.put("validator.data-dir", dataDir.toString());
        p.put("validator.collections.path", dataDir.resolve("collections").toString());
        p.put("validator.shares.backend", "syncthing");
        p.put("validator.shares.syncthing.url", a.url());
        p.put("validator.shares.syncthing.api-key", a.apiKey);
        p.put("validator.shares.syncthing.device-deny", d.deviceId);
        p.put("validator.shares.syncthing.event-timeout", "5s");
        p.put("validator.shares.syncthing.reconnect.initial-delay", "100ms");
        p.put("validator.shares.syncthing.reconnect.max-delay", "500ms");
        p.put("validator.shares.policy.share-name-pattern", "(?!Refused).*");
        p.put("validator.shares.events", events);
        p.put("validator.shares.offer-interval", events ? "1h" : "1s");
        p.put("validator.shares.rescan-interval", events ? "1h" : "1s");
        p.put("validator.shares.debounce", "20ms");
        p.put("validator.validation.process-interval", events ? "1h" : "1s");
        p.put("validator.validation.script-timeout", "5s");
        p.put("micronaut.server.port", "-1");
        service = ApplicationContext.run(p);
    }

    private ShareRegistry registry() {
        return service.getBean(ShareRegistry.class);
    }

    private Share awaitShare(String id, ShareState state) {
        return await(() -> registry().find(id).filter(s -> s.state() == state), Duration.ofSeconds(30),
                "share " + id + " " + state + " (is " + registry().find(id).map(s -> s.state() + ": " + s.reason())
                        .orElse("unknown") + ")");
    }

    private void share(TestSyncthing user, String folderId, String label, Path path, String password) throws IOException {
        user.shareFolder(folderId, label, path, a.deviceId, password);
    }

    private void putTrophy(TestSyncthing user, String folderId, Path folder, String name, String note) throws IOException {
        user.write(folderId, folder, COLLECTION + "/" + name + ".trophy",
                (trophyText(name) + "# " + note + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private String awaitFile(Path file, Duration timeout) {
        return await(() -> {
            try {
                return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.<String>empty();
            } catch (IOException e) {
                return Optional.<String>empty();
            }
        }, timeout, "no " + file);
    }

    private void assertSignedOnTheUsersSide(Path folder, String name, String note) {
        String asc = awaitFile(folder.resolve(COLLECTION + "/" + name + ".trophy.asc"), Duration.ofSeconds(30));
        assertTrue(asc.contains("# " + note) || asc.contains(note), "the signature is for this content: " + asc);
        assertTrue(asc.contains("owner = " + b.deviceId), "bound to B's device id: " + asc);
    }

    @Test
    @Order(1)
    void aUsersOfferIsAcceptedWithoutAnyonesHelpAndOnlyTheTrophyLayoutIsPulled() throws Exception {
        TestSyncthing.writeString(pathB.resolve(".extrainformation/email"), "bob@example.org\n");
        TestSyncthing.writeString(pathB.resolve("junk.bin"), "x".repeat(100_000));
        TestSyncthing.writeString(pathB.resolve(COLLECTION + "/notes.txt"), "private\n");
        long start = System.nanoTime();
        share(b, folderB, "Bob's trophies", pathB, null);

        Share accepted = awaitShare(shareB, ShareState.ACCEPTED);
        System.out.println("offer to accepted (device + folder), ms: " + (System.nanoTime() - start) / 1_000_000);

        assertEquals(b.deviceId, accepted.owner());
        assertEquals("Bob's trophies", accepted.name());
        assertTrue(accepted.folder().startsWith(dataDir.resolve("syncthing/shares")), accepted.folder().toString());
        awaitFile(accepted.folder().resolve(".extrainformation/email"), Duration.ofSeconds(20));
        JsonNode device = a.rest("GET", "/rest/config/devices/" + b.deviceId, null);
        assertFalse(device.get("introducer").asBoolean());
        assertFalse(device.get("autoAcceptFolders").asBoolean());
        JsonNode folder = a.rest("GET", "/rest/config/folders/" + folderB, null);
        assertEquals("sendreceive", folder.get("type").asText());
        assertEquals(2, folder.get("devices").size());
    }

    @Test
    @Order(2)
    void tenTrophiesWrittenOnTheUsersSideComeBackSignedAndVerifyWithGpgAndTheOwnersDeviceId() throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            putTrophy(b, folderB, pathB, "t" + i, "attempt " + i);
            assertSignedOnTheUsersSide(pathB, "t" + i, "attempt " + i);
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        System.out.println("trophy written on B to .asc back on B, ms: " + millis);

        Path key = dir.resolve("server-key.asc");
        Files.writeString(key, service.getBean(ValidationKeyring.class).armoredAllPublicKeys());
        Path gpgHome = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(gpgHome, PosixFilePermissions.fromString("rwx------"));
        run("gpg", "--homedir", gpgHome.toString(), "--batch", "--import", key.toString());
        for (int i = 0; i < 10; i++) {
            Path asc = pathB.resolve(COLLECTION + "/t" + i + ".trophy.asc");
            run("gpg", "--homedir", gpgHome.toString(), "--batch", "--verify", asc.toString());
            assertEquals(0, ValidatorCommand.execute(new String[]{"verify", "--key", key.toString(), "--owner",
                    b.deviceId, asc.toString()}), "verify --owner " + b.deviceId + " " + asc);
        }
        assertFalse(Files.exists(registry().find(shareB).orElseThrow().folder().resolve("junk.bin")),
                "a file outside the trophy layout is never pulled");
        assertFalse(Files.exists(registry().find(shareB).orElseThrow().folder().resolve(COLLECTION + "/notes.txt")));
    }

    @Test
    @Order(3)
    void aSecondDeviceOfferingTheSameFolderIdIsRefusedAndReceivesNothingOfThatShare() throws Exception {
        Path pathC = dir.resolve("C-folders/stolen");
        share(c, folderB, "Bob's trophies", pathC, null);
        String shareC = SyncthingLayout.shareId(c.deviceId, folderB);

        Share refused = awaitShare(shareC, ShareState.REFUSED);
        assertTrue(refused.reason().startsWith(SyncthingShareBackend.FOLDER_ID_IN_USE), refused.reason());
        // B keeps working meanwhile; whatever B's share gets, C must not.
        putTrophy(b, folderB, pathB, "after-c", "after C's offer");
        assertSignedOnTheUsersSide(pathB, "after-c", "after C's offer");
        Thread.sleep(2000);
        try (Stream<Path> files = Files.walk(pathC)) {
            List<Path> got = files.filter(Files::isRegularFile).toList();
            assertEquals(List.of(), got, "C received files of B's share");
        }
        JsonNode folder = a.rest("GET", "/rest/config/folders/" + folderB, null);
        assertEquals(2, folder.get("devices").size(), "B's folder is still shared with B alone");
    }

    @Test
    @Order(4)
    void anEncryptedOfferIsRefused() throws Exception {
        String folderId = "accomplishments-" + UUID.randomUUID();
        share(b, folderId, "Encrypted", dir.resolve("B-folders/encrypted"), "a password");

        Share refused = awaitShare(SyncthingLayout.shareId(b.deviceId, folderId), ShareState.REFUSED);

        assertTrue(refused.reason().startsWith(SyncthingShareBackend.ENCRYPTED_OFFER), refused.reason());
        assertEquals(404, status(a, "/rest/config/folders/" + folderId));
    }

    @Test
    @Order(5)
    void aPolicyRefusalSticksAfterReconnects() throws Exception {
        String folderId = "accomplishments-" + UUID.randomUUID();
        share(b, folderId, "Refused by the name pattern", dir.resolve("B-folders/refused"), null);
        String shareId = SyncthingLayout.shareId(b.deviceId, folderId);
        Share refused = awaitShare(shareId, ShareState.REFUSED);
        assertTrue(refused.reason().contains("share-name-pattern"), refused.reason());

        for (int i = 0; i < 2; i++) { // B drops and re-dials the appliance
            b.rest("PATCH", "/rest/config/devices/" + a.deviceId, Map.of("paused", true));
            Thread.sleep(500);
            b.rest("PATCH", "/rest/config/devices/" + a.deviceId, Map.of("paused", false));
            await(() -> connected(b, a.deviceId) ? Optional.of(true) : Optional.empty(), Duration.ofSeconds(20),
                    "B reconnected to A");
        }
        Thread.sleep(1500);

        assertFalse(a.rest("GET", "/rest/cluster/pending/folders", null).has(folderId), "the offer did not come back");
        assertEquals(404, status(a, "/rest/config/folders/" + folderId));
        assertEquals(ShareState.REFUSED, registry().find(shareId).orElseThrow().state());
        assertTrue(a.rest("GET", "/rest/config/devices/" + b.deviceId, null).get("ignoredFolders").toString()
                .contains(folderId));
    }

    @Test
    @Order(6)
    void aDeviceOnTheDenyListIsIgnoredForGood() throws Exception {
        share(d, "accomplishments-" + UUID.randomUUID(), "Denied", dir.resolve("D-folders/x"), null);

        await(() -> {
            try {
                return a.rest("GET", "/rest/config", null).get("remoteIgnoredDevices").toString().contains(d.deviceId)
                        ? Optional.of(true) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }, Duration.ofSeconds(20), "D among A's ignored devices");
        assertEquals(404, status(a, "/rest/config/devices/" + d.deviceId));
        assertFalse(a.rest("GET", "/rest/cluster/pending/devices", null).has(d.deviceId));
    }

    @Test
    @Order(7)
    void aConflictCopyIsNeverTakenForATrophy() throws Exception {
        Share share = registry().find(shareB).orElseThrow();
        String conflict = COLLECTION + "/t0.sync-conflict-20261202-120000-" + b.deviceId.substring(0, 7) + ".trophy";
        // From B: the allow-list never pulls it.
        b.write(folderB, pathB, conflict, trophyText("t0").getBytes(StandardCharsets.UTF_8));
        // Made on the appliance's side (as Syncthing would): the scanner skips it.
        TestSyncthing.writeString(share.folder().resolve(conflict), trophyText("t0"));
        service.getBean(TrophyInbox.class).forget(shareB);
        service.getBean(TrophyInbox.class).scan(share);
        putTrophy(b, folderB, pathB, "after-conflict", "after the conflict copy");
        assertSignedOnTheUsersSide(pathB, "after-conflict", "after the conflict copy");

        TrophyLedger ledger = service.getBean(TrophyLedger.class);
        assertTrue(ledger.current(shareB).stream().noneMatch(r -> r.path().contains("sync-conflict")));
        assertFalse(Files.exists(share.folder().resolve(conflict + ".asc")));
        assertFalse(Files.exists(share.folder().resolve(conflict + ".rejected")));
    }

    @Test
    @Order(8)
    void theAppliancesSyncthingKilledAndRestartedMidRunLosesNothing() throws Exception {
        a.kill();
        assertFalse(service.getBean(ShareBackend.class).health().up() && pingable(a), "A is down");
        for (int i = 0; i < 3; i++) {
            putTrophy(b, folderB, pathB, "while-a-down-" + i, "written while A was down");
        }
        await(() -> service.getBean(ShareBackend.class).health().up() ? Optional.empty() : Optional.of(true),
                Duration.ofSeconds(20), "health DOWN while A's Syncthing is dead");
        a.start();
        for (int i = 0; i < 3; i++) {
            assertSignedOnTheUsersSide(pathB, "while-a-down-" + i, "written while A was down");
        }
        await(() -> service.getBean(ShareBackend.class).health().up() ? Optional.of(true) : Optional.empty(),
                Duration.ofSeconds(20), "health UP again");
        assertTrue(service.getBean(ShareBackend.class).health().detail().contains("1 restarts"),
                service.getBean(ShareBackend.class).health().detail());
    }

    @Test
    @Order(9)
    void theServiceStoppedAndRestartedMidRunLosesNothing() throws Exception {
        service.close();
        for (int i = 0; i < 3; i++) {
            putTrophy(b, folderB, pathB, "while-service-down-" + i, "written while the service was down");
        }
        startService(true);
        for (int i = 0; i < 3; i++) {
            assertSignedOnTheUsersSide(pathB, "while-service-down-" + i, "written while the service was down");
        }
    }

    @Test
    @Order(10)
    void withEveryEventDroppedTheTimersStillAcceptAndSign() throws Exception {
        service.close();
        startService(false);
        String folderId = "accomplishments-" + UUID.randomUUID();
        Path path = dir.resolve("B-folders/timers");
        TestSyncthing.writeString(path.resolve(".extrainformation/email"), "bob@example.org\n");
        share(b, folderId, "Timers only", path, null);
        awaitShare(SyncthingLayout.shareId(b.deviceId, folderId), ShareState.ACCEPTED);

        putTrophy(b, folderId, path, "timers", "timers only");

        assertSignedOnTheUsersSide(path, "timers", "timers only");
        assertTrue(service.getBean(ShareBackend.class).health().detail().contains("timers only"));
    }

    @Test
    @Order(11)
    void aWrongApiKeyIsReportedDownWithItsReason() {
        SyncthingTestSettings wrong = new SyncthingTestSettings(a.url(), "not-the-key", dir.resolve("other-root"),
                List.of(), List.of());
        try (SyncthingShareBackend backend = new SyncthingShareBackend(wrong, SyncthingTestSettings.shareSettings(false),
                JsonMapper.createDefault())) {
            ShareBackend.BackendHealth health = backend.health();
            assertFalse(health.up());
            assertTrue(health.detail().contains("refused the API key"), health.detail());
        }
    }

    // ---- helpers ----

    private static boolean pingable(TestSyncthing s) {
        try {
            s.rest("GET", "/rest/system/ping", null);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean connected(TestSyncthing from, String device) {
        try {
            JsonNode c = from.rest("GET", "/rest/system/connections", null).get("connections").get(device);
            return c != null && c.get("connected").asBoolean();
        } catch (IOException e) {
            return false;
        }
    }

    private static int status(TestSyncthing s, String path) {
        try {
            s.rest("GET", path, null);
            return 200;
        } catch (IOException e) {
            return e.getMessage().contains("HTTP 404") ? 404 : -1;
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

    private static String trophyText(String name) {
        return "[trophy]\nversion = 0.2\nid = " + COLLECTION + "/" + name + "\ndate-accomplished = 2026-11-21 10:00\n"
                + "needs-signing = true\nneeds-information = email\nemail = bob@example.org\n";
    }

    private static void writeCollection(Path collections) throws IOException {
        TestSyncthing.writeString(collections.resolve("accomplishments/" + COLLECTION + "/ABOUT"),
                "[general]\nname = Scenarios\nlangdefault = en\n");
        TestSyncthing.writeString(collections.resolve("accomplishments/" + COLLECTION + "/extrainformation/email"),
                "[label]\nen = E-mail\n\n[description]\nen = Your address\n\n[regex]\nvalue = ^[^@]+@[^@]+$\n");
        List<String> names = new ArrayList<>(List.of("after-c", "after-conflict", "timers"));
        for (int i = 0; i < 10; i++) {
            names.add("t" + i);
        }
        for (int i = 0; i < 3; i++) {
            names.add("while-a-down-" + i);
            names.add("while-service-down-" + i);
        }
        for (String name : names) {
            TestSyncthing.writeString(collections.resolve("accomplishments/" + COLLECTION + "/en/" + name
                    + ".accomplishment"), "[accomplishment]\ntitle = " + name + "\ndescription = scenario " + name
                    + "\nneeds-signing = true\nneeds-information = email\n");
            Path script = collections.resolve("scripts/" + COLLECTION + "/" + name + ".sh");
            TestSyncthing.writeString(script, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static <T> T await(Supplier<Optional<T>> probe, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("timed out after " + timeout + ": " + what);
        return null;
    }
}
