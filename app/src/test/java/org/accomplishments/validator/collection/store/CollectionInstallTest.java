package org.accomplishments.validator.collection.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.accomplishments.validator.collection.AccomplishmentCatalog;
import org.accomplishments.validator.collection.CollectionLoader;
import org.accomplishments.validator.collection.store.TestRepository.Content;
import org.accomplishments.validator.signing.DetachedSignatures;
import org.accomplishments.validator.signing.KeyringSettings;
import org.accomplishments.validator.signing.PinnedKeys;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.accomplishments.validator.trophy.AccomplishmentId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Installing from a signed index served over HTTP, from a real git repository: every refusal of the issue, and the
 * installed tree loading in the appliance's own loader.
 */
class CollectionInstallTest {
    @TempDir
    Path temp;

    ValidationKeyring storeKeys;
    IndexSignatures.Verifier pinned;
    TestRepository repo;
    CollectionStore store;
    IndexServer server;
    CollectionStoreTest.MutableClock clock = new CollectionStoreTest.MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    CollectionInstaller installer;
    Path appliance;

    @BeforeEach
    void setUp() throws Exception {
        storeKeys = ValidationKeyring.open(temp.resolve("store/keys"), KeyringSettings.defaults());
        pinned = org.accomplishments.validator.signing.StoreIndexSignatures.pinned(
                PinnedKeys.parse(storeKeys.armoredActivePublicKey()));
        repo = new TestRepository(temp.resolve("author-repo"));
        store = new CollectionStore(temp.resolve("store"), new org.accomplishments.validator.signing.StoreIndexSignatures(storeKeys), Duration.ofDays(7),
                CollectionTree.Limits.DEFAULT, Duration.ofSeconds(30), clock);
        server = new IndexServer();
        appliance = temp.resolve("appliance");
        installer = new CollectionInstaller(appliance, CollectionTree.Limits.DEFAULT, Duration.ofSeconds(30), clock);
    }

    @AfterEach
    void tearDown() {
        server.close();
        repo.close();
    }

    StoreIndex.Entry release(String version) throws Exception {
        repo.commit("main", TestRepository.exampleCollection(version));
        StoreIndex.Entry entry = store.submit(repo.url(), "main");
        server.serve(store.published());
        return entry;
    }

    String refusal(ThrowingRunnable action) {
        StoreRefusal refused = assertThrows(StoreRefusal.class, action::run);
        Set<String> reasons = refused.reasons().stream().map(Reason::reason).collect(Collectors.toSet());
        assertEquals(1, reasons.size(), refused.reasons().toString());
        return reasons.iterator().next();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    AccomplishmentCatalog loaded() {
        return new CollectionLoader().load(CollectionInstaller.installedRoots(appliance.resolve("collections")));
    }

    @Test
    void anInstalledCollectionLoadsFromItsOwnRootAndTheLockRecordsIt() throws Exception {
        StoreIndex.Entry entry = release("1.0.0");
        CollectionInstaller.Installed installed = installer.install(server.url(), pinned, "example", null);

        assertEquals("1.0.0", installed.version());
        assertEquals(entry.sha256(), installed.sha256());
        Path root = appliance.resolve("collections/example");
        assertTrue(Files.isSymbolicLink(root));
        assertTrue(Files.isExecutable(root.resolve("scripts/example/registered-email.sh")));
        assertFalse(Files.exists(root.resolve("README")));
        AccomplishmentCatalog catalog = loaded();
        assertEquals(List.of(), catalog.problems());
        assertTrue(catalog.find(new AccomplishmentId("example", "registered-email")).isPresent());
        String lock = Files.readString(installer.lockFile());
        assertTrue(lock.contains("\"serial\" : 2") && lock.contains(entry.sha256()), lock);
        assertEquals(List.of(installed), installer.list());
    }

    @Test
    void anUpdateSwitchesToTheNewVersionAndRemoveTakesItAway() throws Exception {
        release("1.0.0");
        installer.install(server.url(), pinned, "example", "1.0.0");
        release("1.1.0");
        List<CollectionInstaller.Updated> updated = installer.update(server.url(), pinned);
        assertEquals(List.of(new CollectionInstaller.Updated("example", "1.0.0", "1.1.0", java.util.Optional.empty())),
                updated);
        assertEquals("1.1.0", installer.list().get(0).version());
        assertTrue(Files.readString(appliance.resolve("collections/example/accomplishments-collection.json"))
                .contains("1.1.0"));
        assertTrue(installer.remove("example"));
        assertEquals(List.of(), installer.list());
        assertFalse(Files.exists(appliance.resolve("collections/example"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals(0, loaded().size());
    }

    @Test
    void aTamperedIndexIsUntrusted() throws Exception {
        release("1.0.0");
        server.index = new String(server.index, StandardCharsets.UTF_8).replace("Jane Author", "Eve Author")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("untrusted-index", refusal(() -> installer.install(server.url(), pinned, "example", null)));
        assertFalse(Files.exists(installer.lockFile()), "nothing is persisted from an index that does not verify");
    }

    @Test
    void anIndexSignedByAnotherKeyIsUntrusted() throws Exception {
        release("1.0.0");
        ValidationKeyring other = ValidationKeyring.open(temp.resolve("other-keys"), KeyringSettings.defaults());
        server.signature = new DetachedSignatures().sign(other.active(), server.index).getBytes(StandardCharsets.US_ASCII);
        assertEquals("untrusted-index", refusal(() -> installer.install(server.url(), pinned, "example", null)));
    }

    @Test
    void aReplayedOlderIndexIsARollback() throws Exception {
        release("1.0.0");
        byte[] oldIndex = server.index;
        byte[] oldSignature = server.signature;
        release("1.1.0");
        installer.install(server.url(), pinned, "example", null);
        server.index = oldIndex;
        server.signature = oldSignature;
        assertEquals("rollback", refusal(() -> installer.install(server.url(), pinned, "example", "1.0.0")));
        assertEquals("1.1.0", installer.list().get(0).version());
    }

    @Test
    void anExpiredIndexIsStale() throws Exception {
        release("1.0.0");
        clock.set(Instant.parse("2026-12-08T10:00:00Z"));
        assertEquals("stale-index", refusal(() -> installer.install(server.url(), pinned, "example", null)));
    }

    @Test
    void aBranchMovedAfterSubmissionStillInstallsThePinnedCommit() throws Exception {
        StoreIndex.Entry entry = release("1.0.0");
        Map<String, Content> later = TestRepository.exampleCollection("1.0.0");
        later.put("scripts/example/registered-email.sh", Content.executable("#!/bin/sh\nexit 1\n"));
        repo.commit("main", later);
        CollectionInstaller.Installed installed = installer.install(server.url(), pinned, "example", null);
        assertEquals(entry.commit(), installed.commit());
        assertEquals("#!/bin/sh\nexit 0\n",
                Files.readString(appliance.resolve("collections/example/scripts/example/registered-email.sh")));
    }

    @Test
    void aPinnedCommitThatIsGoneIsMissing() throws Exception {
        release("1.0.0");
        repo.close();
        GitSource.deleteTree(repo.dir);
        repo = new TestRepository(repo.dir); // history rewritten: the same URL, other commits
        Map<String, Content> rewritten = TestRepository.exampleCollection("1.0.0");
        rewritten.put("README", Content.text("rewritten history\n")); // else the same tree, second and commit id
        repo.commit("main", rewritten);
        assertEquals("commit-missing", refusal(() -> installer.install(server.url(), pinned, "example", null)));
        assertEquals(List.of(), installer.list());
    }

    @Test
    void aTreeHashThatDiffersFromTheIndexIsRefused() throws Exception {
        StoreIndex.Entry entry = release("1.0.0");
        // A registry that pins a hash its commit does not have (re-signed by the registry key itself).
        String forged = new String(server.index, StandardCharsets.UTF_8).replace(entry.sha256(), "0".repeat(64));
        server.index = forged.getBytes(StandardCharsets.UTF_8);
        server.signature = new DetachedSignatures().sign(storeKeys.active(), server.index)
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals("tree-hash-mismatch", refusal(() -> installer.install(server.url(), pinned, "example", null)));
    }

    @Test
    void aRefusedUpdateLeavesThePreviousVersionInPlace() throws Exception {
        release("1.0.0");
        installer.install(server.url(), pinned, "example", null);
        StoreIndex.Entry next = release("1.1.0");
        String forged = new String(server.index, StandardCharsets.UTF_8).replace(next.sha256(), "1".repeat(64));
        server.index = forged.getBytes(StandardCharsets.UTF_8);
        server.signature = new DetachedSignatures().sign(storeKeys.active(), server.index)
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals("tree-hash-mismatch", refusal(() -> installer.install(server.url(), pinned, "example", "1.1.0")));
        assertEquals("1.0.0", installer.list().get(0).version());
        assertEquals(List.of(), loaded().problems());
        try (var left = Files.list(appliance.resolve("collections/.store"))) {
            assertEquals(2, left.count(), "the installed tree and the lock file, no staging left");
        }
    }

    @Test
    void aFolderTheOperatorMadeIsNeverReplaced() throws Exception {
        release("1.0.0");
        Files.createDirectories(appliance.resolve("collections/example/accomplishments"));
        assertEquals("not-store-managed", refusal(() -> installer.install(server.url(), pinned, "example", null)));
        assertTrue(Files.isDirectory(appliance.resolve("collections/example/accomplishments")));
    }

    @Test
    void nothingOfTheCollectionRunsDuringInstall() throws Exception {
        Path marker = temp.resolve("marker");
        Map<String, Content> files = TestRepository.exampleCollection("1.0.0");
        files.put("scripts/example/registered-email.sh", Content.executable("#!/bin/sh\ntouch " + marker + "\n"));
        files.put(".gitattributes", Content.text("* filter=evil\n"));
        repo.commit("main", files);
        store.submit(repo.url(), "main");
        server.serve(store.published());
        installer.install(server.url(), pinned, "example", null);
        assertFalse(Files.exists(marker));
    }

    @Test
    void anUnknownCollectionIsNotInTheIndex() throws Exception {
        release("1.0.0");
        assertEquals("not-in-index", refusal(() -> installer.install(server.url(), pinned, "nope", null)));
        assertEquals("not-in-index", refusal(() -> installer.install(server.url(), pinned, "example", "9.9.9")));
    }
}
