package org.accomplishments.validator.collection.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.accomplishments.validator.collection.store.TestRepository.Content;
import org.accomplishments.validator.signing.DetachedSignatures;
import org.accomplishments.validator.signing.KeyringSettings;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.accomplishments.validator.signing.VerificationResult;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Submitting collections from real git repositories (file:// URLs) to the store, and the signed index it keeps. */
class CollectionStoreTest {
    @TempDir
    Path temp;

    ValidationKeyring keyring;
    TestRepository repo;
    CollectionStore store;
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

    @BeforeEach
    void setUp() throws Exception {
        keyring = ValidationKeyring.open(temp.resolve("data/keys"), KeyringSettings.defaults());
        repo = new TestRepository(temp.resolve("author-repo"));
        store = newStore();
    }

    CollectionStore newStore() {
        return new CollectionStore(temp.resolve("data"), new org.accomplishments.validator.signing.StoreIndexSignatures(keyring), Duration.ofDays(7),
                CollectionTree.Limits.DEFAULT, Duration.ofSeconds(30), clock);
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    Set<String> reasons(StoreRefusal refusal) {
        return refusal.reasons().stream().map(Reason::reason).collect(Collectors.toSet());
    }

    @Test
    void aGoodReleaseEntersTheSignedIndexWithItsCommitAndTreeHash() throws Exception {
        ObjectId commit = repo.commit("main", TestRepository.exampleCollection("1.0.0"));
        repo.tag("v1.0.0", commit);

        StoreIndex.Entry entry = store.submit(repo.url(), "v1.0.0");

        assertEquals("example", entry.id());
        assertEquals("1.0.0", entry.version());
        assertEquals(commit.name(), entry.commit());
        assertTrue(entry.sha256().matches("[0-9a-f]{64}"));
        assertEquals(5, entry.files()); // manifest, ABOUT, definition, extra information, script; not README
        CollectionStore.Published published = store.published();
        assertEquals(2, published.index().serial()); // 1: the empty index at first use, 2: this release
        assertEquals(Instant.parse("2026-12-08T10:00:00Z"), published.index().expires());
        assertEquals(List.of(entry), StoreIndex.parse(published.json()).entries());
        VerificationResult verified = new DetachedSignatures().verify(published.json(), published.signature(),
                keyring.pinnedKeys());
        assertInstanceOf(VerificationResult.Good.class, verified);
        assertTrue(Files.exists(temp.resolve("data/store/index.json.asc")));
    }

    @Test
    void theSameReleaseSubmittedAgainChangesNothing() throws Exception {
        repo.commit("main", TestRepository.exampleCollection("1.0.0"));
        StoreIndex.Entry first = store.submit(repo.url(), "main");
        long serial = store.published().index().serial();
        assertEquals(first, store.submit(repo.url(), "main"));
        assertEquals(serial, store.published().index().serial());
    }

    @Test
    void aVersionReusedWithOtherContentIsRefusedEvenAfterARestart() throws Exception {
        repo.commit("main", TestRepository.exampleCollection("1.0.0"));
        store.submit(repo.url(), "main");
        Map<String, Content> changed = TestRepository.exampleCollection("1.0.0");
        changed.put("scripts/example/registered-email.sh", Content.executable("#!/bin/sh\nexit 1\n"));
        repo.commit("main", changed);

        StoreRefusal refusal = assertThrows(StoreRefusal.class, () -> newStore().submit(repo.url(), "main"));
        assertEquals(Set.of("version-reused"), reasons(refusal));
    }

    @Test
    void aSymbolicLinkAnywhereIsRefused() throws Exception {
        Map<String, Content> files = TestRepository.exampleCollection("1.0.0");
        files.put("scripts/example/registered-email.sh", Content.symlink("/bin/true"));
        repo.commit("main", files);
        StoreRefusal refusal = assertThrows(StoreRefusal.class, () -> store.submit(repo.url(), "main"));
        assertTrue(reasons(refusal).contains("not-a-regular-file"), refusal.reasons().toString());
    }

    @Test
    void aDotDotEntryIsRefused() throws Exception {
        Map<String, Content> files = TestRepository.exampleCollection("1.0.0");
        files.put("accomplishments/example/../../../etc/evil", Content.text("x"));
        repo.commit("main", files);
        StoreRefusal refusal = assertThrows(StoreRefusal.class, () -> store.submit(repo.url(), "main"));
        assertTrue(reasons(refusal).contains("unsafe-path"), refusal.reasons().toString());
    }

    @Test
    void aBadManifestListsEveryProblem() throws Exception {
        Map<String, Content> files = TestRepository.exampleCollection("1.0.0");
        files.put("accomplishments-collection.json", Content.text(
                "{\"id\": \"example\", \"version\": \"1.0\", \"name\": \"\", \"colour\": \"red\"}"));
        repo.commit("main", files);
        StoreRefusal refusal = assertThrows(StoreRefusal.class, () -> store.submit(repo.url(), "main"));
        assertEquals(Set.of("manifest-invalid"), reasons(refusal));
        String all = refusal.reasons().toString();
        for (String expected : List.of("unknown field 'colour'", "'version' is not a semantic version", "'name' is empty",
                "'author' is missing", "'license' is missing", "'description' is missing")) {
            assertTrue(all.contains(expected), expected + " in " + all);
        }
    }

    @Test
    void aMissingManifestIsRefused() throws Exception {
        Map<String, Content> files = TestRepository.exampleCollection("1.0.0");
        files.remove("accomplishments-collection.json");
        repo.commit("main", files);
        StoreRefusal refusal = assertThrows(StoreRefusal.class, () -> store.submit(repo.url(), "main"));
        assertEquals(Set.of("manifest-missing"), reasons(refusal));
    }

    @Test
    void anAccomplishmentThatDoesNotParseAndAMissingOrNonExecutableScriptAreAllReported() throws Exception {
        Map<String, Content> files = TestRepository.exampleCollection("1.0.0");
        files.put("accomplishments/example/en/broken.accomplishment", Content.text("this is not a key file\n"));
        files.put("accomplishments/example/en/second.accomplishment", Content.text(
                "[accomplishment]\ntitle = Second\ndescription = d\nneeds-signing = true\n"));
        files.put("scripts/example/registered-email.sh", Content.text("#!/bin/sh\nexit 0\n"));
        repo.commit("main", files);
        StoreRefusal refusal = assertThrows(StoreRefusal.class, () -> store.submit(repo.url(), "main"));
        assertEquals(Set.of("accomplishment-invalid", "script-missing", "script-not-executable"), reasons(refusal),
                refusal.reasons().toString());
    }

    @Test
    void theManifestIdMustNameTheCollectionFolder() throws Exception {
        Map<String, Content> files = TestRepository.exampleCollection("1.0.0");
        files.put("accomplishments-collection.json", Content.text(TestRepository.manifest("other", "1.0.0")));
        repo.commit("main", files);
        StoreRefusal refusal = assertThrows(StoreRefusal.class, () -> store.submit(repo.url(), "main"));
        assertEquals(Set.of("id-mismatch"), reasons(refusal), refusal.reasons().toString());
    }

    @Test
    void tooManyFilesOrTooManyBytesAreRefused() throws Exception {
        repo.commit("main", TestRepository.exampleCollection("1.0.0"));
        CollectionStore small = new CollectionStore(temp.resolve("data"), new org.accomplishments.validator.signing.StoreIndexSignatures(keyring),
                Duration.ofDays(7), new CollectionTree.Limits(3, 100), Duration.ofSeconds(30), clock);
        StoreRefusal refusal = assertThrows(StoreRefusal.class, () -> small.submit(repo.url(), "main"));
        assertTrue(reasons(refusal).containsAll(Set.of("too-many-files", "too-large")), refusal.reasons().toString());
    }

    @Test
    void onlyFileAndHttpsSourcesAndOnlyGitRepositories() throws Exception {
        Files.createDirectories(temp.resolve("plain-folder"));
        assertEquals(Set.of("not-a-git-repository"), reasons(assertThrows(StoreRefusal.class,
                () -> store.submit(temp.resolve("plain-folder").toUri().toString(), "main"))));
        for (String source : List.of("ssh://host/repo", "git://host/repo", "http://host/repo", "/tmp/repo",
                "ext::sh -c touch% /tmp/pwned")) {
            assertEquals(Set.of("unsupported-source"), reasons(assertThrows(StoreRefusal.class,
                    () -> store.submit(source, "main"))), source);
        }
        repo.commit("main", TestRepository.exampleCollection("1.0.0"));
        assertEquals(Set.of("ref-not-found"), reasons(assertThrows(StoreRefusal.class,
                () -> store.submit(repo.url(), "no-such-branch"))));
    }

    @Test
    void theIndexIsReSignedUnderANewSerialBeforeItExpires() throws Exception {
        repo.commit("main", TestRepository.exampleCollection("1.0.0"));
        store.submit(repo.url(), "main");
        CollectionStore.Published before = store.published();
        clock.set(Instant.parse("2026-12-03T10:00:00Z"));
        assertEquals(false, store.resignIfDue()); // 5 of 7 days left
        clock.set(Instant.parse("2026-12-05T10:00:01Z"));
        assertEquals(true, store.resignIfDue()); // less than half left
        CollectionStore.Published after = store.published();
        assertEquals(before.index().serial() + 1, after.index().serial());
        assertEquals(Instant.parse("2026-12-12T10:00:01Z"), after.index().expires());
        assertEquals(before.index().entries(), after.index().entries());
        assertInstanceOf(VerificationResult.Good.class,
                new DetachedSignatures().verify(after.json(), after.signature(), keyring.pinnedKeys()));
    }

    @Test
    void aSignatureLostInACrashIsRemadeAtTheNextStart() throws Exception {
        repo.commit("main", TestRepository.exampleCollection("1.0.0"));
        store.submit(repo.url(), "main");
        long serial = store.published().index().serial();
        Files.writeString(temp.resolve("data/store/index.json.asc"), "garbage");
        CollectionStore restarted = newStore();
        assertEquals(serial + 1, restarted.published().index().serial());
        assertInstanceOf(VerificationResult.Good.class, new DetachedSignatures().verify(restarted.published().json(),
                restarted.published().signature(), keyring.pinnedKeys()));
    }

    /** A clock tests move. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
