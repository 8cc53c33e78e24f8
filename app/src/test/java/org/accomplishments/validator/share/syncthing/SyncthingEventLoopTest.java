package org.accomplishments.validator.share.syncthing;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.json.JsonMapper;
import org.accomplishments.validator.share.ShareBackendContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event loop's gap and restart rules against a scripted stand-in for Syncthing's REST API (the fast layer
 * beneath the real-Syncthing tests: a 1,000-event overflow and a restart inside one poll are hard to force there).
 */
class SyncthingEventLoopTest {
    private static final String MY_ID = "AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD-EEEEEEE-FFFFFFF-GGGGGGG-HHHHHHH";

    @TempDir
    Path root;

    @Test
    void idsThatJumpMeanAGapAndIdsThatGoBackWithANewStartTimeMeanARestartEachTriggersAFullReconcile()
            throws Exception {
        String[] startTime = {"2026-12-02T10:00:00Z"};
        Deque<String> batches = new ArrayDeque<>(List.of(
                "[{\"id\":1,\"type\":\"DeviceConnected\",\"data\":{}}]",
                "[{\"id\":1500,\"type\":\"DeviceConnected\",\"data\":{}}]", // 2..1499 dropped by Syncthing
                "RESTART"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            String body;
            if (path.equals("/rest/system/status")) {
                body = "{\"myID\":\"" + MY_ID + "\",\"startTime\":\"" + startTime[0] + "\",\"uptime\":100}";
            } else if (path.equals("/rest/events") && query.contains("timeout=0")) {
                body = "[]"; // a new subscription sees nothing older
            } else if (path.equals("/rest/events")) {
                String next;
                synchronized (batches) {
                    next = batches.poll();
                }
                if (next == null) {
                    sleep(100);
                    body = "[]";
                } else if (next.equals("RESTART")) {
                    startTime[0] = "2026-12-02T10:05:00Z"; // restarted: ids begin again at 1
                    body = "[{\"id\":3,\"type\":\"DeviceConnected\",\"data\":{}}]";
                } else {
                    body = next;
                }
            } else if (path.equals("/rest/config/folders")) {
                body = "[]";
            } else {
                body = "{}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        ShareBackendContract.RecordingEvents events = new ShareBackendContract.RecordingEvents();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try (SyncthingShareBackend backend = new SyncthingShareBackend(new SyncthingTestSettings(url, "key", root,
                List.of(), List.of()), SyncthingTestSettings.shareSettings(true), JsonMapper.createDefault())) {
            backend.start(events);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((!backend.health().detail().contains("1 restarts and 1 gaps") || events.missed < 3)
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            String detail = backend.health().detail();
            assertTrue(detail.contains("1 restarts and 1 gaps"), detail);
            // at the first subscription, after the gap, and after the restart's new subscription
            assertTrue(events.missed >= 3, "somethingMissed " + events.missed + " times");
        } finally {
            server.stop(0);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
