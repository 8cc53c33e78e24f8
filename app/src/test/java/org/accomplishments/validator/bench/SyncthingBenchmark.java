package org.accomplishments.validator.bench;

import org.accomplishments.validator.share.syncthing.TestSyncthing;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The syncthing backend end to end: the jar started as the README does, the appliance's Syncthing and many user
 * Syncthing instances on loopback (each its own process and home, no discovery or relays). Figures:
 * <ul>
 *   <li>offer to accepted (device + folder): a user adds the appliance and shares a folder, until
 *       {@code /api/status} counts one more accepted share;</li>
 *   <li>a crowd of devices offering at once, until all are accepted (issue 11's target: 200 within 60 s);</li>
 *   <li>trophy written on the user's side (rename + scan request, as a client does) until the {@code .trophy.asc}
 *       is back in the user's folder; baseline, in the same run: the one-way sync alone (user to appliance);</li>
 *   <li>10,000 trophies across 100 user folders (10 devices, 10 folders each), end to end.</li>
 * </ul>
 * The offer and rescan timers keep their defaults (1 and 2 minutes): everything measured here is event-driven.
 */
class SyncthingBenchmark {
    private static final int SINGLE = Integer.getInteger("bench.syncthing.single", 20);
    private static final int CROWD = Integer.getInteger("bench.syncthing.crowd", 30);
    private static final int SAMPLES = Integer.getInteger("bench.syncthing.samples", 50);
    private static final int WARM_UP = 5;
    private static final int BULK_DEVICES = 10;
    private static final int BULK_FOLDERS_PER_DEVICE = 10;
    private static final int BULK_PER_FOLDER = Integer.getInteger("bench.syncthing.per-folder", 100);

    @Test
    void offersLatencyCrowdAndBulk() throws Exception {
        Path tmp = Bench.tempDir("bench-syncthing");
        int names = Math.max(BULK_PER_FOLDER, WARM_UP + SAMPLES);
        Path collections = Bench.collection(tmp.resolve("collections"), "bench", names,
                ThroughputBenchmark.TRIVIAL_SCRIPT);
        Bench.info("syncthing", "start, " + Bench.load() + "; " + new String(new ProcessBuilder("syncthing",
                "--version").start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        List<TestSyncthing> users = new ArrayList<>();
        try (TestSyncthing appliance = new TestSyncthing(tmp.resolve("st-appliance"), "appliance").start();
             ServiceProcess service = ServiceProcess.start(tmp.resolve("data"), collections, Map.of(
                     "validator.shares.backend", "syncthing",
                     "validator.shares.syncthing.url", appliance.url(),
                     "validator.shares.syncthing.api-key", appliance.apiKey))) {
            service.awaitHealthy(Duration.ofSeconds(90));
            long accepted = 0;

            // ---- offer to accepted, one device at a time ----
            List<Double> offerMs = new ArrayList<>();
            Path firstFolder = null;
            String firstFolderId = null;
            for (int i = 0; i < SINGLE; i++) {
                TestSyncthing user = new TestSyncthing(tmp.resolve("st-user" + i), "user" + i).start();
                users.add(user);
                String folderId = "accomplishments-" + UUID.randomUUID();
                Path folder = tmp.resolve("folders/user" + i + "/main");
                long t0 = System.nanoTime();
                user.addDevice(appliance);
                user.shareFolder(folderId, "user" + i + " trophies", folder, appliance.deviceId, null);
                awaitAccepted(service, ++accepted, Duration.ofSeconds(60));
                offerMs.add((System.nanoTime() - t0) / 1e6);
                if (i == 0) {
                    firstFolder = folder;
                    firstFolderId = folderId;
                }
            }
            Bench.report("syncthing offer-to-accepted (device + folder) p50", Bench.percentile(offerMs, 50), "ms",
                    null, "< 1000 ms", Bench.percentile(offerMs, 50) < 1000);
            Bench.report("syncthing offer-to-accepted (device + folder) p99", Bench.percentile(offerMs, 99), "ms",
                    null, null, null);

            // ---- a crowd of devices offering at once ----
            List<TestSyncthing> crowd = new ArrayList<>();
            for (int i = 0; i < CROWD; i++) {
                crowd.add(new TestSyncthing(tmp.resolve("st-crowd" + i), "crowd" + i).start());
            }
            users.addAll(crowd);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            long t0 = System.nanoTime();
            List<Future<?>> offers = new ArrayList<>();
            for (int i = 0; i < CROWD; i++) {
                TestSyncthing user = crowd.get(i);
                Path folder = tmp.resolve("folders/crowd" + i);
                offers.add(pool.submit(() -> {
                    user.addDevice(appliance);
                    user.shareFolder("accomplishments-" + UUID.randomUUID(), "crowd trophies", folder,
                            appliance.deviceId, null);
                    return null;
                }));
            }
            for (Future<?> f : offers) {
                f.get();
            }
            accepted += CROWD;
            awaitAccepted(service, accepted, Duration.ofMinutes(5));
            double crowdSeconds = (System.nanoTime() - t0) / 1e9;
            Bench.report("syncthing " + CROWD + " devices offering at once, all accepted", crowdSeconds, "s", null,
                    "< 60 s", crowdSeconds < 60);

            // ---- trophy on the user's side to .asc on the user's side ----
            TestSyncthing first = users.get(0);
            Path applianceFolder = awaitApplianceFolder(tmp.resolve("data/syncthing/shares"), first.deviceId);
            List<Double> ms = new ArrayList<>();
            List<Double> oneWay = new ArrayList<>();
            for (int i = 0; i < WARM_UP + SAMPLES; i++) {
                String name = "bench/t" + i + ".trophy";
                long start = System.nanoTime();
                first.write(firstFolderId, firstFolder, name,
                        Bench.trophy("bench", "t" + i, true).getBytes(StandardCharsets.UTF_8));
                Path arrived = applianceFolder.resolve(name);
                Path asc = firstFolder.resolve(name + ".asc");
                long arrivedAt = 0;
                long deadline = start + Duration.ofSeconds(30).toNanos();
                while (!Files.exists(asc) && System.nanoTime() < deadline) {
                    if (arrivedAt == 0 && Files.exists(arrived)) {
                        arrivedAt = System.nanoTime();
                    }
                    Thread.sleep(1);
                }
                assertEquals(true, Files.exists(asc), name + " signed and back within 30 s");
                if (i >= WARM_UP) {
                    ms.add((System.nanoTime() - start) / 1e6);
                    if (arrivedAt > 0) {
                        oneWay.add((arrivedAt - start) / 1e6);
                    }
                }
                Thread.sleep(100);
            }
            double base50 = Bench.percentile(oneWay, 50);
            Bench.report("syncthing trophy-on-user-side-to-.asc-on-user-side p50", Bench.percentile(ms, 50), "ms",
                    base50, "< 1000 ms", Bench.percentile(ms, 50) < 1000);
            Bench.report("syncthing trophy-on-user-side-to-.asc-on-user-side p99", Bench.percentile(ms, 99), "ms",
                    Bench.percentile(oneWay, 99), null, null);
            Bench.info("syncthing", "baseline: the one-way sync user to appliance alone, same samples");

            // ---- 10,000 trophies across 100 folders ----
            List<Path> bulkFolders = new ArrayList<>();
            List<String> bulkIds = new ArrayList<>();
            List<TestSyncthing> bulkOwners = new ArrayList<>();
            for (int d = 0; d < BULK_DEVICES; d++) {
                TestSyncthing user = users.get(d);
                for (int f = 0; f < BULK_FOLDERS_PER_DEVICE; f++) {
                    String id = "accomplishments-" + UUID.randomUUID();
                    Path folder = tmp.resolve("folders/bulk/" + d + "-" + f);
                    user.shareFolder(id, "bulk", folder, appliance.deviceId, null);
                    bulkFolders.add(folder);
                    bulkIds.add(id);
                    bulkOwners.add(user);
                }
            }
            accepted += bulkFolders.size();
            awaitAccepted(service, accepted, Duration.ofMinutes(5));
            long bulkStart = System.nanoTime();
            for (int k = 0; k < bulkFolders.size(); k++) {
                Path coll = Files.createDirectories(bulkFolders.get(k).resolve("bench"));
                for (int t = 0; t < BULK_PER_FOLDER; t++) {
                    Path tmpFile = coll.resolve(".tmp-" + t);
                    Files.writeString(tmpFile, Bench.trophy("bench", "t" + t, true));
                    Files.move(tmpFile, coll.resolve("t" + t + ".trophy"));
                }
                bulkOwners.get(k).scan(bulkIds.get(k));
            }
            int total = bulkFolders.size() * BULK_PER_FOLDER;
            long deadline = bulkStart + Duration.ofMinutes(20).toNanos();
            int back = 0;
            while (System.nanoTime() < deadline) {
                back = 0;
                for (Path folder : bulkFolders) {
                    for (int t = 0; t < BULK_PER_FOLDER; t++) {
                        if (Files.exists(folder.resolve("bench/t" + t + ".trophy.asc"))) {
                            back++;
                        }
                    }
                }
                if (back == total) {
                    break;
                }
                Thread.sleep(500);
            }
            double bulkSeconds = (System.nanoTime() - bulkStart) / 1e9;
            assertEquals(total, back, "every trophy signed and back on its user's side");
            Bench.report("syncthing " + total + " trophies across " + bulkFolders.size()
                    + " folders, end to end", bulkSeconds, "s", null, null, null);
            Bench.report("syncthing bulk throughput", total / bulkSeconds, "trophies/s", null, null, null);
            Bench.info("syncthing", "backend: " + ServiceProcess.class.getSimpleName() + " /api/status backend "
                    + backendDetail(service.get("/api/status")));
            Bench.info("syncthing", (SINGLE + CROWD) + " user instances; end, " + Bench.load());
            Bench.keepLog(service, "syncthing");
        } finally {
            for (TestSyncthing user : users) {
                user.stop();
            }
        }
    }

    private static String backendDetail(String statusJson) {
        int i = statusJson.indexOf("\"detail\"");
        return i < 0 ? "?" : statusJson.substring(i, Math.min(statusJson.length(), statusJson.indexOf('"', i + 11) + 1));
    }

    private static Path awaitApplianceFolder(Path root, String deviceId) throws Exception {
        for (int i = 0; i < 1000; i++) {
            try (var list = Files.list(root)) {
                var found = list.filter(p -> p.getFileName().toString().startsWith(deviceId.substring(0, 7)))
                        .findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no appliance folder for " + deviceId);
    }

    private static void awaitAccepted(ServiceProcess service, long count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ServiceProcess.statusCount(service.get("/api/status"), "accepted") < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " shares not accepted within " + timeout);
            }
            ServiceProcess.sleep(2);
        }
    }
}
