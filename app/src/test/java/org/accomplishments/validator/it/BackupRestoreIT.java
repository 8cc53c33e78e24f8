package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 1: the running service backs its database up by itself; a corrupt database refuses the start in
 * one sentence naming the file, the backup and the restore command; {@code restore} puts the backup back, keeps
 * the corrupt file aside, and the service starts again on it.
 */
class BackupRestoreIT {
    @TempDir
    Path temp;

    @Test
    void aCorruptDatabaseIsRestoredFromTheServicesOwnBackup() throws Exception {
        Path var = temp.resolve("var");
        Path log = temp.resolve("service.log");
        Map<String, String> props = Map.of("validator.backup.interval", "2s", "validator.backup.keep", "2",
                "validator.disk.min-free", "1MB");
        Path backups = var.resolve("backups");
        try (ValidatorProcess service = ValidatorProcess.start(var, props, log)) {
            service.awaitServing(Duration.ofSeconds(120));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // until a rotation removed one: then two are kept
            while (!Files.readString(log).contains("1 older backup(s) removed") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            service.stop();
        }
        List<Path> kept = list(backups);
        assertEquals(2, kept.size(), "validator.backup.keep=2 keeps two: " + kept);
        Path db = var.resolve("db/validator.mv.db");
        byte[] garbage = new byte[Math.toIntExact(Files.size(db))];
        new Random(1).nextBytes(garbage);
        Files.write(db, garbage);

        Process refused = jar(var, List.of());
        String out = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(refused.waitFor(90, TimeUnit.SECONDS));
        assertEquals(65, refused.exitValue(), out);
        Path latest = kept.get(kept.size() - 1);
        assertTrue(out.contains(db.toString()) && out.contains("corrupt") && out.contains(latest.toString())
                && out.contains("restore"), out);

        Process restore = jar(var, List.of("restore"));
        String restored = new String(restore.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(restore.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, restore.exitValue(), restored);
        try (Stream<Path> files = Files.list(db.getParent())) {
            Path aside = files.filter(p -> p.getFileName().toString().startsWith("validator.mv.db.damaged-"))
                    .findFirst().orElseThrow(() -> new AssertionError("the corrupt file was not kept: " + restored));
            assertArrayEquals(garbage, Files.readAllBytes(aside));
        }
        try (ValidatorProcess service = ValidatorProcess.start(var, props, log)) {
            service.awaitServing(Duration.ofSeconds(120));
        }
    }

    @Test
    void aRestoreWhileTheServiceRunsIsRefusedAndTouchesNothing() throws Exception {
        Path var = temp.resolve("var");
        Path db = var.resolve("db/validator.mv.db");
        Map<String, String> props = Map.of("validator.backup.interval", "2s", "validator.disk.min-free", "1MB");
        try (ValidatorProcess service = ValidatorProcess.start(var, props, temp.resolve("service.log"))) {
            service.awaitServing(Duration.ofSeconds(120));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((!Files.isDirectory(var.resolve("backups")) || list(var.resolve("backups")).isEmpty())
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Process restore = jar(var, List.of("restore"));
            String out = new String(restore.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(restore.waitFor(60, TimeUnit.SECONDS));
            assertEquals(70, restore.exitValue(), out);
            assertTrue(out.contains("validator.lock") && out.contains("stop the service before restoring"), out);
            try (Stream<Path> files = Files.list(db.getParent())) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".damaged-")),
                        "nothing was moved aside: " + out);
            }
            service.awaitServing(Duration.ofSeconds(10));
        }
    }

    private static Process jar(Path var, List<String> args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ValidatorProcess.javaExecutable(),
                "-Dvalidator.data-dir=" + var, "-Dmicronaut.server.port=" + ValidatorProcess.freePort(),
                "-jar", ValidatorProcess.jar().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("VALIDATOR_") || k.startsWith("MICRONAUT_"));
        return builder.start();
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("validator-.*\\.zip")).sorted().toList();
        }
    }
}
