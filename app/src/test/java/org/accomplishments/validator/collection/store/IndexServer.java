package org.accomplishments.validator.collection.store;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A local HTTP server that serves whatever index bytes and signature a test sets: the registry, or an attacker. */
final class IndexServer implements AutoCloseable {
    private final HttpServer server;
    volatile byte[] index = new byte[0];
    volatile byte[] signature = new byte[0];

    IndexServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/store/index", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().endsWith(".asc") ? signature : index;
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    void serve(CollectionStore.Published published) {
        index = published.json();
        signature = published.signature().getBytes(StandardCharsets.US_ASCII);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/store/index";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
