package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 items 5 and 9: a broken configuration or an unusable data directory stops the real jar's start with
 * one sentence naming the file, line or property (no stack trace), and a data directory that holds a key but no
 * usable database is not taken for a new appliance.
 */
class BrokenStartIT {
    @TempDir
    Path temp;

    record Outcome(int code, String output) {
        /** The lines that are not the banner or blank. */
        List<String> lines() {
            List<String> out = new ArrayList<>();
            for (String l : output.split("\n")) {
                if (!l.isBlank()) {
                    out.add(l);
                }
            }
            return out;
        }
    }

    private Outcome start(Path dataDir, String... properties) throws Exception {
        List<String> command = new ArrayList<>(List.of(ValidatorProcess.javaExecutable(),
                "-Dvalidator.data-dir=" + dataDir, "-Dmicronaut.server.port=" + ValidatorProcess.freePort(),
                "-Dmicronaut.banner.enabled=false"));
        for (String p : properties) {
            command.add("-D" + p);
        }
        command.add("-jar");
        command.add(ValidatorProcess.jar().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("VALIDATOR_") || k.startsWith("MICRONAUT_"));
        Path out = temp.resolve("out-" + System.nanoTime() + ".txt");
        builder.redirectOutput(out.toFile());
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the service started instead of refusing:\n" + Files.readString(out));
        }
        return new Outcome(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static void refusedInOneSentence(Outcome o, int code, String... mentions) {
        assertEquals(code, o.code(), o.output());
        assertFalse(o.output().contains("\tat "), "a stack trace was printed:\n" + o.output());
        String sentence = o.lines().stream().filter(l -> l.startsWith("accomplishments-validator: not started: "))
                .findFirst().orElseThrow(() -> new AssertionError("no refusal sentence:\n" + o.output()));
        for (String m : mentions) {
            assertTrue(sentence.contains(m), "'" + m + "' missing from: " + sentence);
        }
        assertTrue(o.lines().size() <= 3, "more than the sentence was printed:\n" + o.output());
    }

    @Test
    void aYamlSyntaxErrorNamesTheFileAndTheLine() throws Exception {
        Path file = Files.writeString(temp.resolve("broken.yml"), "validator:\n  shares:\n    backend: local\n  oops: [\n");
        refusedInOneSentence(start(temp.resolve("var"), "micronaut.config.files=" + file), 78, file.toString(), "line 5");
    }

    @Test
    void aConfigFileThatIsNotAMappingIsRefused() throws Exception {
        Path file = Files.writeString(temp.resolve("scalar.yml"), "validator.shares.backend syncdaemon\n");
        refusedInOneSentence(start(temp.resolve("var"), "micronaut.config.files=" + file), 78, file.toString(),
                "not a YAML mapping");
    }

    @Test
    void aMissingConfigFileIsNamed() throws Exception {
        Path file = temp.resolve("nowhere.yml");
        refusedInOneSentence(start(temp.resolve("var"), "micronaut.config.files=" + file), 78, file.toString(),
                "does not exist");
    }

    @Test
    void aBadDurationNamesThePropertyAndTheValue() throws Exception {
        refusedInOneSentence(start(temp.resolve("var"), "validator.validation.script-timeout=tenseconds"), 78,
                "validator.validation.script-timeout", "\"tenseconds\"");
    }

    @Test
    void anUnwritableDataDirectoryIsOneSentence() throws Exception {
        Path mount = Files.createDirectories(temp.resolve("readonly"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean mounted = m.waitFor(30, TimeUnit.SECONDS) && m.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a read-only tmpfs here (needs root): "
                + new String(m.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try {
            refusedInOneSentence(start(mount.resolve("var")), 78, mount.resolve("var").toString(), "not writable");
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aZeroByteDatabaseBesideAKeyIsNotANewAppliance() throws Exception {
        Path var = temp.resolve("var");
        Files.createDirectories(var.resolve("keys"));
        Files.writeString(var.resolve("keys/0123.key"), "a key");
        Files.createDirectories(var.resolve("db"));
        Path db = Files.createFile(var.resolve("db/validator.mv.db"));
        refusedInOneSentence(start(var), 65, db.toString(), "empty");
        assertEquals(0, Files.size(db), "the empty file was replaced");
    }

    @Test
    void aCorruptDatabaseNamesTheFileTheLatestBackupAndTheRestoreCommand() throws Exception {
        Path var = temp.resolve("var");
        Files.createDirectories(var.resolve("keys"));
        Files.writeString(var.resolve("keys/0123.key"), "a key");
        Files.createDirectories(var.resolve("db"));
        byte[] garbage = new byte[256 * 1024];
        new Random(10).nextBytes(garbage);
        Path db = Files.write(var.resolve("db/validator.mv.db"), garbage);
        Path backup = Files.createDirectories(var.resolve("backups")).resolve("validator-20261201T120000Z.zip");
        Files.write(backup, new byte[]{'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        refusedInOneSentence(start(var), 65, db.toString(), "corrupt", backup.toString(),
                "accomplishments-validator restore");
        assertTrue(java.util.Arrays.equals(garbage, Files.readAllBytes(db)), "the corrupt file was changed");
    }

    @Test
    void anUnknownValidatorSettingIsWarnedAboutByName() throws Exception {
        Path file = Files.writeString(temp.resolve("typo.yml"), "validator:\n  sharez:\n    backend: local\n");
        Outcome o = start(temp.resolve("var"), "micronaut.config.files=" + file,
                "validator.validation.script-timeout=tenseconds");
        assertTrue(o.output().contains("unknown setting validator.sharez.backend"), o.output());
    }
}
