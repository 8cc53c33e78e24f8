package org.accomplishments.validator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * docs/monitoring/alerts.yml as Prometheus reads it: {@code promtool check rules} (Debian's prometheus package;
 * test.sh installs it), and {@code promtool test rules alerts-test.yml}, where recorded series of a failing service
 * must fire the alerts with their exact texts and a healthy one must fire none. MetricsIT checks that every
 * series the rules read is exported.
 */
class AlertRulesTest {
    private static final Path MONITORING = Path.of(System.getProperty("validator.repo", ".."), "docs", "monitoring")
            .toAbsolutePath().normalize();

    @Test
    void theAlertRulesAreValidPrometheusRules() throws Exception {
        String out = promtool("check", "rules", MONITORING.resolve("alerts.yml").toString());
        assertTrue(out.contains("SUCCESS: 10 rules found"), out);
    }

    @Test
    void theAlertsFireOnTheRecordedFailuresAndOnlyThere() throws Exception {
        String out = promtool("test", "rules", MONITORING.resolve("alerts-test.yml").toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        Path promtool = Path.of("/usr/bin/promtool");
        assertTrue(Files.isExecutable(promtool), "promtool is missing: install Debian's prometheus package "
                + "(test.sh does when run as root); this test is not skipped");
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.directory(MONITORING.toFile()).redirectErrorStream(true);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, process.exitValue(), "promtool " + String.join(" ", args) + ":\n" + out);
        return out;
    }
}
