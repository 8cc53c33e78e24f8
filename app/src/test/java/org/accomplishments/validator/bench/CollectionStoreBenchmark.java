package org.accomplishments.validator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.accomplishments.validator.collection.store.CollectionInstaller;
import org.accomplishments.validator.collection.store.CollectionStore;
import org.accomplishments.validator.collection.store.CollectionTree;
import org.accomplishments.validator.collection.store.IndexSignatures;
import org.accomplishments.validator.collection.store.StoreIndex;
import org.accomplishments.validator.collection.store.TestRepository;
import org.accomplishments.validator.signing.KeyringSettings;
import org.accomplishments.validator.signing.PinnedKeys;
import org.accomplishments.validator.signing.StoreIndexSignatures;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The collection store with the real ubuntu-community collection (117 accomplishments, 590 files with the test's
 * stand-in scripts): submit (fetch, check, load, hash, sign), install (verify, fetch the pinned commit, hash, write,
 * switch), and an index of 1,000 entries regenerated and signed, then verified, parsed and searched as an installer
 * does. Baseline in the same run: {@code git clone} of the same repository with the git CLI, which only fetches and
 * checks out. Targets (shared/docs/collection-store.md): install under 5 s; an index of 1,000 under 1 MB, verified and
 * searched under 200 ms.
 */
class CollectionStoreBenchmark {

    @Test
    void submitInstallAndAThousandEntryIndex() throws Exception {
        Path tmp = Bench.tempDir("bench-store");
        Bench.info("store", "start, " + Bench.load());
        ValidationKeyring keys = ValidationKeyring.open(tmp.resolve("store/keys"), KeyringSettings.defaults());
        IndexSignatures signatures = new StoreIndexSignatures(keys);
        IndexSignatures.Verifier pinned = StoreIndexSignatures.pinned(PinnedKeys.parse(keys.armoredActivePublicKey()));
        try (TestRepository repo = new TestRepository(tmp.resolve("author"))) {
            repo.commit("main", TestRepository.ubuntuCommunity("0.4.1"));

            // ---- baseline: git clone ----
            long g0 = System.nanoTime();
            Process clone = new ProcessBuilder("git", "clone", "-q", repo.url(), tmp.resolve("clone").toString())
                    .redirectErrorStream(true).start();
            assertTrue(clone.waitFor(120, TimeUnit.SECONDS) && clone.exitValue() == 0, "git clone");
            double cloneMs = (System.nanoTime() - g0) / 1e6;

            // ---- submit (a first, warm-up submission into another store, then the measured one) ----
            new CollectionStore(tmp.resolve("warm"), signatures, Duration.ofDays(7), CollectionTree.Limits.DEFAULT,
                    Duration.ofSeconds(60), Clock.systemUTC()).submit(repo.url(), "main");
            CollectionStore store = new CollectionStore(tmp.resolve("store"), signatures, Duration.ofDays(7),
                    CollectionTree.Limits.DEFAULT, Duration.ofSeconds(60), Clock.systemUTC());
            store.published();
            long s0 = System.nanoTime();
            StoreIndex.Entry entry = store.submit(repo.url(), "main");
            double submitMs = (System.nanoTime() - s0) / 1e6;
            Bench.report("store submit ubuntu-community (" + entry.files() + " files, " + entry.bytes() + " bytes)",
                    submitMs, "ms", cloneMs, null, null);

            // ---- install from the published files (file index, same checks as over HTTP) ----
            String index = store.indexFile().toString();
            CollectionInstaller warm = new CollectionInstaller(tmp.resolve("appliance-warm"), CollectionTree.Limits.DEFAULT,
                    Duration.ofSeconds(60), Clock.systemUTC());
            warm.install(index, pinned, "ubuntu-community", null);
            CollectionInstaller installer = new CollectionInstaller(tmp.resolve("appliance"), CollectionTree.Limits.DEFAULT,
                    Duration.ofSeconds(60), Clock.systemUTC());
            long i0 = System.nanoTime();
            installer.install(index, pinned, "ubuntu-community", null);
            double installMs = (System.nanoTime() - i0) / 1e6;
            Bench.report("store install ubuntu-community", installMs, "ms", cloneMs, "< 5000 ms", installMs < 5000);

            // ---- an index of 1,000 entries ----
            List<StoreIndex.Entry> entries = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                entries.add(new StoreIndex.Entry("collection-" + i, "1." + (i % 7) + ".0", "Collection " + i,
                        "A collection of accomplishments for community number " + i + ", with a description of"
                                + " typical length that says what it rewards", "Author " + i + " <author" + i
                                + "@example.org>", "GPL-3.0-or-later", "https://example.org/c" + i,
                        "https://git.example.org/authors/collection-" + i + ".git", "v1." + (i % 7) + ".0",
                        entry.commit(), entry.sha256(), 263, 412160, Instant.parse("2026-12-01T10:00:00Z")));
            }
            StoreIndex big = new StoreIndex(1000, Instant.now(), Instant.now().plus(Duration.ofDays(7)), entries);
            for (int w = 0; w < 20; w++) {
                signatures.sign(big.toJson());
            }
            int rounds = 20;
            long r0 = System.nanoTime();
            byte[] json = null;
            String signature = null;
            for (int r = 0; r < rounds; r++) {
                json = big.toJson();
                signature = signatures.sign(json).armored();
            }
            double regenerateMs = (System.nanoTime() - r0) / 1e6 / rounds;
            long j0 = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                big.toJson();
            }
            double jsonOnlyMs = (System.nanoTime() - j0) / 1e6 / rounds;
            Bench.report("store index of 1,000 regenerate + sign", regenerateMs, "ms", jsonOnlyMs, null, null);
            Bench.report("store index of 1,000 size", json.length / 1024.0, "KiB", null, "< 1024 KiB",
                    json.length < 1024 * 1024);
            long v0 = System.nanoTime();
            int found = 0;
            for (int r = 0; r < rounds; r++) {
                assertTrue(pinned.verify(json, signature).good());
                found = StoreIndex.parse(json).search("community number 99").size();
            }
            double verifyMs = (System.nanoTime() - v0) / 1e6 / rounds;
            assertEquals(11, found); // 99 and 990-999
            Bench.report("store index of 1,000 verify + parse + search", verifyMs, "ms", null, "< 200 ms", verifyMs < 200);
            Bench.info("store", "end, " + Bench.load() + "; signature " + signature.getBytes(StandardCharsets.US_ASCII).length
                    + " bytes");
        } finally {
            Bench.deleteTree(tmp);
        }
    }
}
