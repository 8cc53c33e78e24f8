package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's view of the running service: the README's example shares validated, then GET /prometheus read as
 * Prometheus would. Every series is explained (# HELP), latencies are histograms, promtool finds nothing to say
 * about the service's own names, and the Grafana dashboard and the alert rules in docs/monitoring ask only for
 * series the service exports. A restart continues the verdict counters from the ledger, and a second start on the
 * same data directory refuses in one sentence.
 */
@Timeout(300)
class MetricsIT {
    private static final Path MONITORING = ValidatorProcess.repo().resolve("docs").resolve("monitoring");
    /** Series that come from Prometheus itself, not from the scrape. */
    private static final Set<String> FROM_PROMETHEUS = Set.of("up");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset");

    @TempDir
    Path temp;

    private ValidatorProcess service;

    @AfterEach
    void stopService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void theScrapeExplainsItselfAndTheDashboardAndAlertsUseOnlyWhatItExports() throws Exception {
        Commands.requireTool("promtool");
        Path dataDir = temp.resolve("var");
        Path log = temp.resolve("service.log");
        Path examples = ValidatorProcess.repo().resolve("examples");
        Map<String, String> settings = Map.of("validator.collections.path",
                examples.resolve("collections").toString());
        service = ValidatorProcess.start(dataDir, settings, log);
        service.awaitHealthUp(Duration.ofSeconds(120));
        copyTree(examples.resolve("shares"), dataDir.resolve("shares"));
        awaitLedger(Map.of("signed", 2L, "rejected", 1L), Duration.ofSeconds(90));
        service.getText("/api/status"); // a web request, so the HTTP histogram exists

        String scrape = service.getText("/prometheus");
        List<String> emptyHelp = scrape.lines().filter(l -> l.startsWith("# HELP "))
                .filter(l -> l.split(" ", 4).length < 4 || l.split(" ", 4)[3].isBlank()).toList();
        assertEquals(List.of(), emptyHelp, "series without an explanation");
        for (String histogram : List.of("validator_validation_latency_seconds", "validator_script_duration_seconds",
                "http_server_requests_seconds")) {
            assertTrue(scrape.contains("# TYPE " + histogram + " histogram\n"), histogram + " is not a histogram:\n"
                    + scrape);
            assertTrue(scrape.contains(histogram + "_bucket{"), "no buckets for " + histogram);
        }
        Set<String> exported = seriesNames(scrape);
        for (String required : List.of("validator_trophies", "validator_trophies_signed_total",
                "validator_trophies_rejected_total", "validator_issued_trophies", "validator_revoked_trophies",
                "validator_share_backend_up", "validator_collections_loaded", "validator_collections_with_problems",
                "validator_accomplishments_loaded", "validator_disk_free_bytes", "validator_disk_min_free_bytes",
                "validator_oldest_open_trophy_age_seconds")) {
            assertTrue(exported.contains(required), required + " is not exported; the scrape has " + exported);
        }
        assertEquals(1.0, value(scrape, "validator_share_backend_up{backend=\"local\"}"), scrape);
        assertEquals(1.0, value(scrape, "validator_collections_loaded"), scrape);
        assertEquals(0.0, value(scrape, "validator_collections_with_problems"), scrape);
        assertTrue(value(scrape, "validator_disk_free_bytes{folder=\"the data directory\",path=\""
                + dataDir.toAbsolutePath().normalize() + "\"}") > 0, scrape);

        Commands.Run lint = Commands.run(List.of("promtool", "check", "metrics"), Map.of(),
                scrape.getBytes(StandardCharsets.UTF_8));
        List<String> ours = (lint.stdout() + lint.stderr()).lines()
                .filter(l -> l.startsWith("validator_") || l.startsWith("http_server_")).toList();
        assertEquals(List.of(), ours, "promtool check metrics: " + lint);

        JsonNode dashboard = ValidatorProcess.JSON.readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> expressions.add(e.asText()));
        dashboard.path("templating").path("list").forEach(v -> expressions.add(v.path("definition").asText()
                .replaceFirst("^label_values\\((.*), \\w+\\)$", "$1")));
        assertTrue(expressions.size() >= 10, "the dashboard has " + expressions.size() + " queries");
        assertOnlyExported("grafana-dashboard.json", expressions, exported);
        List<String> alertExpressions = Files.readAllLines(MONITORING.resolve("alerts.yml")).stream()
                .map(String::strip).filter(l -> l.startsWith("expr: ")).map(l -> l.substring(6)).toList();
        assertTrue(alertExpressions.size() >= 8, alertExpressions.toString());
        assertOnlyExported("alerts.yml", alertExpressions, exported);

        // A second service on the same data directory: one sentence, the lock and the PID, exit 75.
        Commands.Run second = Commands.run(List.of(ValidatorProcess.javaExecutable(),
                "-Dvalidator.data-dir=" + dataDir, "-Dmicronaut.server.port=" + ValidatorProcess.freePort(),
                "-Dvalidator.collections.path=" + examples.resolve("collections"), "-jar",
                ValidatorProcess.jar().toString()), Map.of(), null);
        assertEquals(75, second.exitCode(), second.toString());
        List<String> said = (second.stdout() + second.stderr()).lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, said.size(), "more than one sentence: " + second);
        assertTrue(said.get(0).contains("already running") && said.get(0).contains("process " + service.pid())
                && said.get(0).contains(dataDir.resolve("validator.lock").toAbsolutePath().normalize().toString()),
                said.get(0));
        assertTrue(service.isAlive(), "the second start harmed the first");

        // After a restart the verdict counters carry on from the ledger, not from zero.
        service.stop();
        service = ValidatorProcess.start(dataDir, settings, log);
        service.awaitHealthUp(Duration.ofSeconds(120));
        String again = awaitSeries("validator_trophies_signed_total", Duration.ofSeconds(30));
        assertEquals(2.0, value(again, "validator_trophies_signed_total"), again);
        assertEquals(value(again, "validator_trophies{state=\"signed\"}"), value(again, "validator_trophies_signed_total"));
        assertEquals(1.0, value(again, "validator_trophies_rejected_total{reason=\"information-mismatch\"}"), again);
    }

    /** Metric names a PromQL expression reads: label matchers, ranges, strings and grouping lists removed. */
    static Set<String> referencedNames(String promql) {
        String s = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(s);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static void assertOnlyExported(String file, List<String> expressions, Set<String> exported) {
        for (String expr : expressions) {
            Set<String> names = referencedNames(expr);
            assertFalse(names.isEmpty(), file + ": no metric found in " + expr);
            for (String name : names) {
                if (!FROM_PROMETHEUS.contains(name) && !exported.contains(name)) {
                    fail(file + " asks for " + name + " (in " + expr + "), which the service does not export");
                }
            }
        }
    }

    private static Set<String> seriesNames(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    private static double value(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("no " + series + " in\n" + scrape));
    }

    private String awaitSeries(String series, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        String scrape = "";
        while (System.nanoTime() < end) {
            scrape = service.getText("/prometheus");
            if (scrape.lines().anyMatch(l -> l.startsWith(series + " ") && !l.endsWith(" 0.0"))) {
                return scrape;
            }
            Thread.sleep(200);
        }
        return scrape;
    }

    private void awaitLedger(Map<String, Long> expected, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        JsonNode counts = null;
        while (System.nanoTime() < end) {
            counts = service.getJson("/api/status").path("trophies");
            JsonNode c = counts;
            if (expected.entrySet().stream().allMatch(e -> c.path(e.getKey()).asLong() == e.getValue())) {
                return;
            }
            Thread.sleep(200);
        }
        fail("the ledger did not reach " + expected + ": " + counts + "\n" + service.logTail());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
