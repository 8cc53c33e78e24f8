package org.accomplishments.validator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.accomplishments.validator.share.ShareFolder;
import org.accomplishments.validator.signing.ClearsignSigner;
import org.accomplishments.validator.signing.KeyAlgorithm;
import org.accomplishments.validator.signing.KeyringSettings;
import org.accomplishments.validator.signing.SignatureHash;
import org.accomplishments.validator.signing.ValidationKeyring;
import org.junit.jupiter.api.Test;

/**
 * Target 2: the signer alone, key in memory (Ed25519, SHA-512, as the service's defaults), each signature written
 * with {@link ShareFolder#writeAtomically} (temporary file, fsync, rename, directory fsync) into share folders.
 * Target: at least 3,000 trophies/s. Baseline in the same run: one {@code gpg --clearsign} process per trophy.
 */
class SignerBenchmark {
    private static final int COUNT = Integer.getInteger("bench.signer.count", 10_000);
    private static final int WARM_UP = 3_000;
    private static final int BASELINE = Integer.getInteger("bench.signer.baseline", 200);
    private static final int PER_FOLDER = 1_000;

    @Test
    void signsAndWritesAtLeastThreeThousandTrophiesPerSecond() throws Exception {
        Path tmp = Bench.tempDir("bench-signer");
        try (OriginalServer original = OriginalServer.create()) {
            Bench.info("signer", "start, " + Bench.load());
            ValidationKeyring keyring = ValidationKeyring.open(tmp.resolve("keys"),
                    KeyringSettings.generate(KeyAlgorithm.ED25519, KeyringSettings.DEFAULT_USER_ID));
            ClearsignSigner signer = new ClearsignSigner(keyring, SignatureHash.SHA512);
            String fingerprint = keyring.active().fingerprint();

            // ---- baseline: gpg per trophy ----
            Path baselineDir = Files.createDirectories(tmp.resolve("baseline/bench"));
            for (int i = 0; i < BASELINE; i++) {
                Files.writeString(baselineDir.resolve("t" + i + ".trophy"), text(i, fingerprint));
            }
            long b0 = System.nanoTime();
            for (int i = 0; i < BASELINE; i++) {
                original.sign(baselineDir.resolve("t" + i + ".trophy"));
            }
            double baselineRate = BASELINE / ((System.nanoTime() - b0) / 1e9);

            // ---- warm-up (JIT), then the measured runs ----
            Path warm = Files.createDirectories(tmp.resolve("warm/bench"));
            ShareFolder warmFolder = new ShareFolder(warm.getParent());
            for (int i = 0; i < WARM_UP; i++) {
                warmFolder.writeAtomically("bench/t" + (i % 100) + ".trophy.asc",
                        signer.sign(text(i, fingerprint)).armored().getBytes(StandardCharsets.UTF_8));
            }

            long s0 = System.nanoTime();
            long sink = 0;
            for (int i = 0; i < COUNT; i++) {
                sink += signer.sign(text(i, fingerprint)).armored().length();
            }
            double signOnly = COUNT / ((System.nanoTime() - s0) / 1e9);
            Bench.report("signer, sign only, 1 thread", signOnly, "signatures/s", null, null, null);

            double oneThread = signAndWrite(signer, fingerprint, tmp.resolve("run1"), 1);
            Bench.report("signer, sign + atomic write, 1 thread", oneThread, "trophies/s", baselineRate,
                    ">= 3000/s", oneThread >= 3000);
            double twoThreads = signAndWrite(signer, fingerprint, tmp.resolve("run2"), 2);
            Bench.report("signer, sign + atomic write, 2 threads", twoThreads, "trophies/s", baselineRate,
                    ">= 3000/s", twoThreads >= 3000);
            double fourThreads = signAndWrite(signer, fingerprint, tmp.resolve("run4"), 4);
            Bench.report("signer, sign + atomic write, 4 threads", fourThreads, "trophies/s", baselineRate,
                    ">= 3000/s", fourThreads >= 3000);
            double oneAgain = signAndWrite(signer, fingerprint, tmp.resolve("run1b"), 1);
            Bench.report("signer, sign + atomic write, 1 thread (again, after the others)", oneAgain, "trophies/s",
                    baselineRate, ">= 3000/s", oneAgain >= 3000);
            Bench.info("signer", String.format("baseline gpg --clearsign per trophy: %.1f/s over %d; %s (%d)",
                    baselineRate, BASELINE, Bench.load(), sink));

            // ---- functional: what was written verifies with gpg and covers the trophy ----
            original.importKey(keyring.armoredActivePublicKey());
            for (int i = 0; i < COUNT; i += COUNT / 10) {
                Path asc = folderOf(tmp.resolve("run2"), i).resolve("bench/t" + i + ".trophy.asc");
                assertTrue(original.verifies(asc), asc + " must verify with gpg");
                assertTrue(Bench.read(asc).contains("id = bench/t" + i + "\n"), asc + " content");
            }
            long written = 0;
            for (int f = 0; f * PER_FOLDER < COUNT; f++) {
                try (var files = Files.list(tmp.resolve("run2").resolve("share-" + f).resolve("bench"))) {
                    written += files.filter(p -> p.toString().endsWith(".trophy.asc")).count();
                }
            }
            assertEquals(COUNT, written, "one .asc per trophy, no temporary files left");
        } finally {
            Bench.deleteTree(tmp);
        }
    }

    private static double signAndWrite(ClearsignSigner signer, String fingerprint, Path root, int threads)
            throws Exception {
        List<ShareFolder> folders = new ArrayList<>();
        for (int f = 0; f * PER_FOLDER < COUNT; f++) {
            Path share = folderOf(root, f * PER_FOLDER);
            Files.createDirectories(share.resolve("bench"));
            folders.add(new ShareFolder(share));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < COUNT; i += threads) {
                        byte[] asc = signer.sign(text(i, fingerprint)).armored().getBytes(StandardCharsets.UTF_8);
                        folders.get(i / PER_FOLDER).writeAtomically("bench/t" + i + ".trophy.asc", asc);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return COUNT / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Path folderOf(Path root, int index) {
        return root.resolve("share-" + index / PER_FOLDER);
    }

    /** What the service signs: the trophy's [trophy] section plus the [validation] binding (formats.md). */
    static String text(int i, String fingerprint) {
        return Bench.trophy("bench", "t" + i, true) + "\n[validation]\nshare-id = 00000000-0000-4000-8000-"
                + String.format("%012d", i / PER_FOLDER) + "\nowner = User " + i / PER_FOLDER
                + "\nvalidated-at = 2026-11-21T19:22:05Z\nkey = " + fingerprint + "\n";
    }
}
