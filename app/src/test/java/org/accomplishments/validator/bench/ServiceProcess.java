package org.accomplishments.validator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service as users run it: {@code java -D... -jar accomplishments-validator.jar} in its own JVM, talked to
 * only through its documented interfaces (files in shares, HTTP API, configuration properties). Measures the
 * process from the outside through /proc.
 */
final class ServiceProcess implements AutoCloseable {
    static final String TOKEN = "bench-token-0123456789";
    private static final long CLK_TCK = clockTicks();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;
    private final long startedNanos;

    private ServiceProcess(Process process, int port, Path log, long startedNanos) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /** Starts the jar with the data directory, collection root and extra {@code -D} settings given. */
    static ServiceProcess start(Path dataDir, Path collections, Map<String, String> properties) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The JVM options the README's run command uses.
        command.add("@" + Path.of(System.getProperty("validator.repo", ".."), "app", "jvm.options").toAbsolutePath());
        // For profiling only (e.g. -Dbench.service.jvmArgs=-XX:StartFlightRecording=filename=/tmp/x.jfr):
        // space-separated JVM options, after (so overriding) jvm.options; the benchmarks themselves never set any.
        String extra = System.getProperty("bench.service.jvmArgs", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.add("-Dvalidator.data-dir=" + dataDir);
        command.add("-Dmicronaut.server.port=" + port);
        command.add("-Dvalidator.collections.path=" + collections);
        command.add("-Dvalidator.api.token=" + TOKEN);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(Bench.jar().toAbsolutePath().toString());
        try {
            Files.createDirectories(dataDir);
            Path log = dataDir.resolveSibling(dataDir.getFileName() + "-service.log");
            ProcessBuilder pb = new ProcessBuilder(command);
            // In the repository root, as the README runs it: jvm.options names the class archive from there.
            pb.directory(Bench.repo().toFile());
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            long t0 = System.nanoTime();
            return new ServiceProcess(pb.start(), port, log, t0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Exactly the README's run command, in the repository root ({@code java @app/jvm.options
     * -Dvalidator.collections.path=examples/collections -jar app/target/accomplishments-validator.jar}), with only a
     * data directory and a free port added, and {@code jvmOverrides} after the options file (a later option wins).
     */
    static ServiceProcess startAsReadme(Path dataDir, List<String> jvmOverrides) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add("java");
        command.add("@app/jvm.options");
        command.addAll(jvmOverrides);
        command.add("-Dvalidator.data-dir=" + dataDir);
        command.add("-Dmicronaut.server.port=" + port);
        command.add("-Dvalidator.collections.path=examples/collections");
        command.add("-jar");
        command.add("app/target/accomplishments-validator.jar");
        try {
            Files.createDirectories(dataDir);
            Path log = dataDir.resolveSibling(dataDir.getFileName() + "-service.log");
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.directory(Bench.repo().toFile());
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            long t0 = System.nanoTime();
            return new ServiceProcess(pb.start(), port, log, t0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Waits until {@code GET /health} answers UP; returns the wall-clock seconds since {@link #start}. */
    double awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + "; log:\n"
                        + tail(60));
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return (System.nanoTime() - startedNanos) / 1e9;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(20);
        }
        throw new IllegalStateException("no /health UP within " + timeout + "; log:\n" + tail(60));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    String get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + TOKEN).GET().build());
    }

    String post(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                        + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A count from {@code GET /api/status}: {@code "trophies":{"pending":12,...}} style maps. */
    static long statusCount(String statusJson, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(\\d+)").matcher(statusJson);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** User plus system CPU time of the service process (all its threads), in seconds. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after the command: state(3) ... utime(14) stime(15), i.e. indexes 11 and 12 here
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLK_TCK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The same plus the CPU of its children that have been waited for ({@code cutime + cstime}): the logic scripts
     * the service ran, and everything they started.
     */
    double cpuSecondsWithChildren() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]))
                    / (double) CLK_TCK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** VmRSS or VmHWM of the service process in MB. */
    double memoryMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            throw new IllegalStateException(field + " missing");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * JVM heap in MB from {@code GET /prometheus}: {@code used} or {@code committed} (the summed
     * {@code jvm_memory_<kind>_bytes{area="heap",...}} series), so RSS can be told apart from live data.
     */
    double heapMb(String kind) {
        double sum = 0;
        for (String line : get("/prometheus").split("\n")) {
            if (line.startsWith("jvm_memory_" + kind + "_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum / (1024 * 1024);
    }

    /** "RSS x MB, heap used y MB of z MB committed". */
    String memory() {
        return String.format(java.util.Locale.ROOT, "RSS %.0f MB, heap used %.0f MB of %.0f MB committed",
                memoryMb("VmRSS"), heapMb("used"), heapMb("committed"));
    }

    int threads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** A thread dump on the service's stdout (SIGQUIT), for profiles; the log then holds the stacks. */
    void threadDump() {
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(pid())).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
