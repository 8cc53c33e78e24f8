package org.accomplishments.validator.share.syncthing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Syncthing (Debian's {@code syncthing}) on loopback only, for tests: its own home under the test's directory,
 * random ports, no discovery, relays, NAT, usage or crash reporting, started and stopped by PID by the test.
 */
public final class TestSyncthing implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final String name;
    public final Path home;
    public final String deviceId;
    public final String apiKey = "test-key-" + UUID.randomUUID();
    public final int listenPort;
    public final int guiPort;
    private Process process;

    public TestSyncthing(Path home, String name) throws IOException, InterruptedException {
        this.name = name;
        this.home = home;
        Files.createDirectories(home);
        Process generate = new ProcessBuilder("syncthing", "generate", "--home=" + home, "--no-default-folder",
                "--skip-port-probing").redirectErrorStream(true).start();
        String out = new String(generate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (generate.waitFor() != 0) {
            throw new IOException("syncthing generate failed: " + out);
        }
        Matcher id = Pattern.compile("Device ID: ([A-Z0-9-]+)").matcher(out);
        if (!id.find()) {
            throw new IOException("no device id in: " + out);
        }
        deviceId = id.group(1);
        listenPort = freePort();
        guiPort = freePort();
        Path config = home.resolve("config.xml");
        String xml = Files.readString(config);
        Map<String, String> options = Map.ofEntries(Map.entry("listenAddress", "tcp://127.0.0.1:" + listenPort),
                Map.entry("globalAnnounceEnabled", "false"), Map.entry("localAnnounceEnabled", "false"),
                Map.entry("relaysEnabled", "false"), Map.entry("natEnabled", "false"),
                Map.entry("urAccepted", "-1"), Map.entry("crashReportingEnabled", "false"),
                Map.entry("startBrowser", "false"), Map.entry("setLowPriority", "false"),
                Map.entry("autoUpgradeIntervalH", "0"), Map.entry("reconnectionIntervalS", "1"));
        for (Map.Entry<String, String> o : options.entrySet()) {
            xml = xml.replaceAll("<" + o.getKey() + ">[^<]*</" + o.getKey() + ">",
                    "<" + o.getKey() + ">" + o.getValue() + "</" + o.getKey() + ">");
        }
        xml = xml.replaceFirst("<address>127\\.0\\.0\\.1:8384</address>", "<address>127.0.0.1:" + guiPort + "</address>")
                .replaceFirst("<apikey>[^<]*</apikey>", "<apikey>" + apiKey + "</apikey>")
                .replaceFirst("name=\"[^\"]*\"", "name=\"" + name + "\"");
        Files.writeString(config, xml);
    }

    public static boolean installed() {
        try {
            return new ProcessBuilder("syncthing", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String url() {
        return "http://127.0.0.1:" + guiPort;
    }

    public String address() {
        return "tcp://127.0.0.1:" + listenPort;
    }

    public synchronized TestSyncthing start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return this;
        }
        ProcessBuilder pb = new ProcessBuilder("syncthing", "serve", "--home=" + home, "--no-browser", "--no-restart",
                "--no-upgrade", "--logflags=0");
        pb.environment().put("STNODEFAULTFOLDER", "1");
        pb.environment().put("STNOUPGRADE", "1");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("syncthing.log").toFile()));
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                rest("GET", "/rest/system/ping", null);
                return this;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException(name + ": syncthing exited: " + Files.readString(home.resolve("syncthing.log")));
                }
                Thread.sleep(50);
            }
        }
        throw new IOException(name + ": syncthing's REST API did not answer in 30 s");
    }

    /** SIGTERM to the process this test started (and its child, the monitor's worker), then wait. */
    public synchronized void stop() {
        end(false);
    }

    /** SIGKILL, as a crash would. */
    public synchronized void kill() {
        end(true);
    }

    private void end(boolean force) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        for (ProcessHandle child : children) {
            if (force) {
                child.destroyForcibly();
            } else {
                child.destroy();
            }
        }
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            process.waitFor(20, TimeUnit.SECONDS);
            for (ProcessHandle child : children) {
                child.onExit().get(20, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            process.destroyForcibly();
        }
        process = null;
    }

    @Override
    public void close() {
        kill();
    }

    public JsonNode rest(String method, String path, Object body) throws IOException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                    .header("X-API-Key", apiKey);
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IOException(name + ": " + method + " " + path + ": HTTP " + response.statusCode() + " "
                        + response.body());
            }
            return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Adds a peer with its explicit loopback address. */
    public void addDevice(TestSyncthing peer) throws IOException {
        rest("POST", "/rest/config/devices", Map.of("deviceID", peer.deviceId, "name", peer.name,
                "addresses", List.of(peer.address())));
    }

    /** Shares a new folder at {@code path} with the device (encrypted for it when a password is given). */
    public void shareFolder(String folderId, String label, Path path, String device, String encryptionPassword)
            throws IOException {
        Files.createDirectories(path);
        Map<String, Object> deviceEntry = encryptionPassword == null ? Map.of("deviceID", device)
                : Map.of("deviceID", device, "encryptionPassword", encryptionPassword);
        rest("POST", "/rest/config/folders", Map.of("id", folderId, "label", label, "path", path.toString(),
                "type", "sendreceive", "devices", List.of(Map.of("deviceID", deviceId), deviceEntry),
                "fsWatcherEnabled", false, "rescanIntervalS", 3600));
    }

    public void scan(String folderId) throws IOException {
        rest("POST", "/rest/db/scan?folder=" + java.net.URLEncoder.encode(folderId, StandardCharsets.UTF_8), null);
    }

    /** Writes a file into a folder of this instance the way a user's program would, then asks for a scan. */
    public void write(String folderId, Path folder, String relativePath, byte[] content) throws IOException {
        Path target = folder.resolve(relativePath);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(".tmp-" + UUID.randomUUID());
        Files.write(temp, content);
        Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        scan(folderId);
    }

    public static void writeString(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
