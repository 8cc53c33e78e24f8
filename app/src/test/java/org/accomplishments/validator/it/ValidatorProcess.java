package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service as a real, separate JVM: {@code java -D... -jar accomplishments-validator.jar}, started
 * with an argument list (never a shell string), reached only through its documented HTTP API, and killed
 * without fail when the test ends. Its stdout and stderr go to a log file, whose tail a failure message shows.
 */
final class ValidatorProcess implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The operator token every IT service starts with ({@code validator.api.token}). */
    static final String TOKEN = "it-operator-token";

    private final Process process;
    final int port;
    private final Path log;
    private final long startedNanos;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ValidatorProcess(Process process, int port, Path log, long startedNanos) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /** The fat jar failsafe built ({@code validator.jar}). */
    static Path jar() {
        String jar = System.getProperty("validator.jar");
        assertNotNull(jar, "system property validator.jar is not set (run through maven-failsafe)");
        Path path = Path.of(jar);
        if (!Files.isRegularFile(path)) {
            fail("the service jar " + path + " does not exist; run 'mvn verify' so it is packaged first");
        }
        return path;
    }

    /** The repository root ({@code validator.repo}), for {@code examples/}. */
    static Path repo() {
        String repo = System.getProperty("validator.repo");
        assertNotNull(repo, "system property validator.repo is not set (run through maven-failsafe)");
        return Path.of(repo).toAbsolutePath().normalize();
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /**
     * Starts the jar with {@code -Dvalidator.data-dir}, {@code -Dmicronaut.server.port} and the given system
     * properties, in {@code dataDir}'s parent as working directory, with no VALIDATOR_ or MICRONAUT_ variables
     * inherited from the caller's environment. The log is appended to, so several runs on one data directory
     * keep one history.
     */
    static ValidatorProcess start(Path dataDir, Map<String, String> properties, Path log) throws IOException {
        return start(dataDir, properties, Map.of(), log);
    }

    /** As {@link #start(Path, Map, Path)}, with these variables added to the environment. */
    static ValidatorProcess start(Path dataDir, Map<String, String> properties, Map<String, String> environment,
                                  Path log) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        // The JVM options the README's run command uses.
        command.add("@" + Path.of(System.getProperty("validator.repo", ".."), "app", "jvm.options").toAbsolutePath());
        // jvm.options names the class archive relative to the repository root; this runs elsewhere.
        Path classArchive = jar().resolveSibling("accomplishments-validator.jsa").toAbsolutePath();
        if (Files.isRegularFile(classArchive)) {
            command.add("-XX:SharedArchiveFile=" + classArchive);
        }
        command.add("-Dvalidator.data-dir=" + dataDir);
        command.add("-Dmicronaut.server.port=" + port);
        // Reads of the API need a token since the web UI (issue 4): the ITs use the operator token.
        command.add("-Dvalidator.api.token=" + TOKEN);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar().toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("VALIDATOR_") || k.startsWith("MICRONAUT_")
                || k.startsWith("DATASOURCES_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("DBUS_SESSION_BUS_ADDRESS"));
        builder.environment().putAll(environment);
        builder.directory(dataDir.getParent().toFile());
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Files.writeString(log, "\n===== " + command + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        long started = System.nanoTime();
        Process process = builder.start();
        return new ValidatorProcess(process, port, log, started);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Polls {@code GET /health} until it answers 200 with status UP; returns the time since the start. */
    Duration awaitHealthUp(Duration timeout) throws InterruptedException {
        return awaitHealth(timeout, java.util.Set.of("UP"));
    }

    /**
     * Polls {@code GET /health} until the service serves: UP, or DEGRADED (HTTP 200 too) when it has no collection
     * yet and validates nothing, as an appliance does before its first collection is installed.
     */
    Duration awaitServing(Duration timeout) throws InterruptedException {
        return awaitHealth(timeout, java.util.Set.of("UP", "DEGRADED"));
    }

    private Duration awaitHealth(Duration timeout, java.util.Set<String> accepted) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the service exited with code " + process.exitValue() + " before /health was UP\n" + logTail());
            }
            try {
                HttpResponse<String> response = get("/health");
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && accepted.contains(JSON.readTree(response.body()).path("status").asText())) {
                    return Duration.ofNanos(System.nanoTime() - startedNanos);
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        fail("/health was not " + accepted + " within " + timeout.toSeconds() + " s; last answer: " + last + "\n" + logTail());
        throw new AssertionError();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** POST with an empty body and {@code Authorization: Bearer token}. */
    HttpResponse<String> post(String path, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** POST a JSON body with {@code Authorization: Bearer token}. */
    HttpResponse<String> postJson(String path, String token, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** GET that must answer 200; the body as text. */
    String getText(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        assertEquals(200, response.statusCode(), "GET " + path + " answered " + response.statusCode() + ": "
                + response.body());
        return response.body();
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        return JSON.readTree(getText(path));
    }

    /** kill -9: the JVM dies at once, without shutdown hooks. Returns only once it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            fail("the service (pid " + process.pid() + ") survived SIGKILL for 30 s");
        }
        assertFalse(process.isAlive());
        assertFalse(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false),
                "pid " + process.pid() + " is still alive after SIGKILL");
        // 128 + 9: killed by SIGKILL, not an orderly exit
        assertEquals(137, process.exitValue(), "the service did not die of SIGKILL");
    }

    /** SIGTERM: an orderly shutdown; SIGKILL only if it has not ended within a minute. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the service did not stop within 60 s of SIGTERM\n" + logTail());
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- last lines of " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the service and anything it started that is still running; never throws. */
    @Override
    public void close() {
        try {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            children.forEach(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("stopping the service failed: " + e);
        }
    }
}
