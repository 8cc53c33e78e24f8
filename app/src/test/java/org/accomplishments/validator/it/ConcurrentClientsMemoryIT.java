package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 11: the packaged service (README's JVM options) under 200 concurrent clients, each on its own
 * connection sending /health and authenticated API reads, keeps its peak resident size (VmHWM) under the README's
 * 300 MB and its thread count bounded. Before the request pool was bounded every concurrent request had its own
 * thread (250 to 350 threads; the peak RSS 240-266 MB). ResidentMemoryBenchmark measures the same with 10,000
 * shares as well.
 */
class ConcurrentClientsMemoryIT {
    private static final int CLIENTS = 200;
    private static final int ROUNDS = 25;
    private static final List<String> PATHS = List.of("/health", "/api/status", "/api/shares", "/api/trophies");

    @TempDir
    Path temp;

    private ValidatorProcess service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void twoHundredConcurrentClientsKeepThePeakResidentSizeUnder300Mb() throws Exception {
        Path dataDir = temp.resolve("var");
        Files.createDirectories(dataDir);
        service = ValidatorProcess.start(dataDir, Map.of("validator.collections.path",
                ValidatorProcess.repo().resolve("examples/collections").toString()), temp.resolve("service.log"));
        service.awaitHealthUp(Duration.ofSeconds(120));

        AtomicInteger ok = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicInteger peakThreads = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                try {
                    go.await();
                    for (int r = 0; r < ROUNDS; r++) {
                        String path = PATHS.get((client + r) % PATHS.size());
                        HttpRequest.Builder b = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + service.port() + path))
                                .timeout(Duration.ofSeconds(60)).GET();
                        if (!path.equals("/health")) {
                            b.header("Authorization", "Bearer " + ValidatorProcess.TOKEN);
                        }
                        HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                        if (resp.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failure.compareAndSet(null, path + " answered " + resp.statusCode());
                        }
                    }
                } catch (IOException e) {
                    failure.compareAndSet(null, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "client-" + c);
            t.start();
            clients.add(t);
        }
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakThreads.accumulateAndGet(status("Threads"), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        go.countDown();
        for (Thread t : clients) {
            t.join();
        }
        sampler.interrupt();
        sampler.join();

        long hwmMb = status("VmHWM") / 1024;
        assertEquals(null, failure.get(), "every request answered 200");
        assertEquals(CLIENTS * ROUNDS, ok.get());
        assertTrue(peakThreads.get() < 150, "threads bounded, not one per client: " + peakThreads.get());
        assertTrue(hwmMb < 300, "peak RSS (VmHWM) " + hwmMb + " MB under 200 clients, README says under 300 MB");
    }

    /** A number from /proc/PID/status (kB for the memory fields). */
    private int status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + service.pid() + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // the process is gone: the assertions on the answers say why
        }
        return 0;
    }
}
