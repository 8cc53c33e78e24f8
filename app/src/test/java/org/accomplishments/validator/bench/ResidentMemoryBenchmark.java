package org.accomplishments.validator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 11: peak resident memory (VmHWM) of the service as the README runs it, against the README's
 * 300 MB, in two scenarios, each in its own service process so each peak is its own:
 * <ul>
 * <li>{@code SHARES} share folders (the three trophies of examples/shares' Alice each, checked against
 * examples/collections) renamed into the local share root of a running service, until every trophy is in the
 * ledger (discovered: the heap then holds the whole backlog; validating 30,000 trophies one logic script each
 * takes far longer and needs no more memory), then 5 s more;</li>
 * <li>{@code CLIENTS} concurrent HTTP clients (JDK HttpClient, HTTP/1.1, one connection each) each sending
 * {@code ROUNDS} requests: {@code /health} and the authenticated API reads {@code /api/status},
 * {@code /api/shares}, {@code /api/trophies}.</li>
 * </ul>
 * Baseline: the same service idle with no shares (the second process before its clients start).
 */
class ResidentMemoryBenchmark {
    private static final int SHARES = Integer.getInteger("bench.rss.shares", 10_000);
    private static final int CLIENTS = Integer.getInteger("bench.rss.clients", 200);
    private static final int ROUNDS = Integer.getInteger("bench.rss.rounds", 50);
    private static final List<String> PATHS = List.of("/health", "/api/status", "/api/shares", "/api/trophies");

    @Test
    void staysUnder300MbWithTenThousandSharesAndTwoHundredClients() throws Exception {
        Path tmp = Bench.tempDir("bench-rss");
        Path repo = Path.of(System.getProperty("validator.repo", "..")).toAbsolutePath().normalize();
        Path collections = repo.resolve("examples/collections");
        Path example;
        try (Stream<Path> s = Files.list(repo.resolve("examples/shares"))) {
            example = s.filter(p -> p.getFileName().toString().startsWith("alice")).findFirst().orElseThrow();
        }
        int perShare = countTrophies(example);
        ServiceProcess service = null;
        try {
            Bench.info("rss", "start, " + Bench.load());

            // ---- (b) idle baseline, then concurrent clients ----
            service = ServiceProcess.start(tmp.resolve("clients"), collections, Map.of());
            service.awaitHealthy(Duration.ofSeconds(120));
            ServiceProcess.sleep(10_000);
            double idleRss = service.memoryMb("VmRSS");
            double idleHwm = service.memoryMb("VmHWM");
            int idleThreads = service.threads();
            Bench.info("rss", String.format("idle, no shares: %s, VmHWM %.0f MB, %d threads", service.memory(),
                    idleHwm, idleThreads));
            ClientsResult clients = hammer(service, CLIENTS, ROUNDS);
            double clientsHwm = service.memoryMb("VmHWM");
            Bench.info("rss", String.format("%d clients x %d requests: %d ok, %d failed (%s) in %.1f s = %.0f req/s;"
                            + " %d service threads at the peak; %s, VmHWM %.0f MB; %s", CLIENTS, ROUNDS, clients.ok,
                    clients.failed, clients.firstFailure, clients.seconds, clients.ok / clients.seconds,
                    clients.peakThreads, service.memory(), clientsHwm, Bench.load()));
            service.close();
            Bench.keepLog(service, "rss-clients");
            service = null;

            // ---- (a) shares arriving in a running service ----
            Path data = tmp.resolve("shares");
            Path sharesRoot = Files.createDirectories(data.resolve("shares"));
            Path staging = Files.createDirectories(tmp.resolve("staging"));
            for (int i = 0; i < SHARES; i++) {
                copyTree(example, staging.resolve(Bench.shareDirName(i)));
            }
            service = ServiceProcess.start(data, collections, Map.of());
            service.awaitHealthy(Duration.ofSeconds(120));
            long t0 = System.nanoTime();
            for (int i = 0; i < SHARES; i++) {
                String name = Bench.shareDirName(i);
                Files.move(staging.resolve(name), sharesRoot.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            }
            double arrived = (System.nanoTime() - t0) / 1e9;
            long expected = (long) SHARES * perShare;
            long known = 0;
            int peakThreads = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (System.nanoTime() < deadline) {
                known = known(service.get("/api/status"));
                peakThreads = Math.max(peakThreads, service.threads());
                if (known >= expected) {
                    break;
                }
                ServiceProcess.sleep(1000);
            }
            double done = (System.nanoTime() - t0) / 1e9;
            ServiceProcess.sleep(5000);
            peakThreads = Math.max(peakThreads, service.threads());
            double sharesHwm = service.memoryMb("VmHWM");
            Bench.info("rss", String.format("%d shares renamed in %.1f s; %d of %d trophies in the ledger "
                            + "after %.1f s; %d service threads at the peak; %s, VmHWM %.0f MB; %s", SHARES, arrived, known,
                    expected, done, peakThreads, service.memory(), sharesHwm, Bench.load()));

            Bench.report("peak RSS (VmHWM) idle, no shares", idleHwm, "MB", null, "< 300 MB", idleHwm < 300);
            Bench.report("peak RSS (VmHWM) with " + SHARES + " shares arriving", sharesHwm, "MB", idleRss,
                    "< 300 MB", sharesHwm < 300);
            Bench.report("peak RSS (VmHWM) under " + CLIENTS + " concurrent clients", clientsHwm, "MB", idleRss,
                    "< 300 MB", clientsHwm < 300);
            Bench.report("requests per second under " + CLIENTS + " concurrent clients", clients.ok / clients.seconds,
                    "req/s", null, null, null);
            Bench.report("trophies discovered per second with " + SHARES + " shares arriving", known / done,
                    "trophies/s", null, null, null);
        } finally {
            if (service != null) {
                service.close();
                Bench.keepLog(service, "rss-shares");
            }
            Bench.deleteTree(tmp);
        }
    }

    record ClientsResult(int ok, int failed, String firstFailure, double seconds, int peakThreads) {
    }

    /**
     * {@code clients} threads, each with its own HttpClient (so its own connection, as separate users have),
     * sending {@code rounds} GETs in a loop; another thread samples the service's thread count meanwhile.
     */
    static ClientsResult hammer(ServiceProcess service, int clients, int rounds) throws InterruptedException {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger peakThreads = new AtomicInteger();
        String[] firstFailure = {"none"};
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                try {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        String path = PATHS.get((client + r) % PATHS.size());
                        HttpRequest.Builder b = HttpRequest.newBuilder(service.uri(path))
                                .timeout(Duration.ofSeconds(60)).GET();
                        if (!path.equals("/health")) {
                            b.header("Authorization", "Bearer " + ServiceProcess.TOKEN);
                        }
                        try {
                            HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                            if (resp.statusCode() == 200) {
                                ok.incrementAndGet();
                            } else {
                                fail(failed, firstFailure, path + " " + resp.statusCode());
                            }
                        } catch (IOException e) {
                            fail(failed, firstFailure, path + " " + e);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "client-" + c);
            t.start();
            threads.add(t);
        }
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakThreads.accumulateAndGet(service.threads(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "thread-sampler");
        sampler.start();
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        sampler.interrupt();
        sampler.join();
        return new ClientsResult(ok.get(), failed.get(), firstFailure[0], seconds, peakThreads.get());
    }

    private static void fail(AtomicInteger failed, String[] first, String what) {
        if (failed.getAndIncrement() == 0) {
            first[0] = what;
        }
    }

    /** Trophies in the ledger, in any state. */
    private static long known(String status) {
        long sum = 0;
        for (String state : List.of("pending", "waiting", "signing", "signed", "rejecting", "rejected", "ignored",
                "superseded", "vanished")) {
            sum += Math.max(0, ServiceProcess.statusCount(status, state));
        }
        return sum;
    }

    private static int countTrophies(Path share) throws IOException {
        try (Stream<Path> s = Files.walk(share)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".trophy")).count();
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
