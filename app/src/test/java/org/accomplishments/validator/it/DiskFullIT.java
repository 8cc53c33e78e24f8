package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 1, on a real small file system (a tmpfs this test mounts): when free space drops below
 * validator.disk.min-free, /health goes DOWN naming the reason, issuing answers 503 and trophies that arrive wait
 * unvalidated; once space is freed the service is UP again by itself, without a restart, signs what waited, and its
 * database opens cleanly at the next start.
 */
class DiskFullIT {
    private static final String ALICE = "alice-trophies (Alice, 7f3c9a52-2f0e-4d5e-9c1b-2a3f4e5d6c7b)";

    @TempDir
    Path temp;

    @Test
    void aNearlyFullDiskPausesWorkAndSpaceReturningResumesIt() throws Exception {
        Path mount = Files.createDirectories(temp.resolve("small"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean mounted = m.waitFor(30, TimeUnit.SECONDS) && m.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root): "
                + new String(m.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try {
            Path var = mount.resolve("var");
            Files.createDirectories(var);
            Path examples = ValidatorProcess.repo().resolve("examples");
            Map<String, String> settings = Map.of("validator.disk.min-free", "32MB",
                    "validator.disk.check-interval", "500ms",
                    "validator.collections.path", examples.resolve("collections").toString());
            Path aliceSigned = var.resolve("shares").resolve(ALICE).resolve("example/registered-email.trophy.asc");
            try (ValidatorProcess service = ValidatorProcess.start(var, settings, temp.resolve("service.log"))) {
                service.awaitHealthUp(Duration.ofSeconds(120));
                Path filler = mount.resolve("filler");
                long free = Files.getFileStore(mount).getUsableSpace();
                try (OutputStream out = Files.newOutputStream(filler)) {
                    byte[] mb = new byte[1 << 20];
                    for (long written = 0; written < free - (16L << 20); written += mb.length) {
                        out.write(mb);
                    }
                }
                String health = awaitHealth(service, 503);
                assertTrue(health.contains("disk-space-low") && health.contains("validator.disk.min-free"), health);
                HttpResponse<String> issue = service.postJson("/api/issued", ValidatorProcess.TOKEN,
                        "{\"share\":\"x\",\"accomplishment\":\"example/community-hero\"}");
                assertEquals(503, issue.statusCode(), issue.body());
                assertTrue(issue.body().contains("disk-space-low"), issue.body());
                // A user's trophies arrive while the disk is low: recorded or not, nothing is written into the share.
                TryItIT.copyTree(examples.resolve("shares"), var.resolve("shares"));
                Thread.sleep(3_000);
                assertTrue(Files.notExists(aliceSigned), "a verdict was written while the disk was nearly full");
                Files.delete(filler);
                service.awaitHealthUp(Duration.ofSeconds(30));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (Files.notExists(aliceSigned) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertTrue(Files.exists(aliceSigned), "the trophy that waited was not signed after space returned\n"
                        + service.logTail());
            }
            // The database the service wrote while the disk filled opens cleanly and still holds the verdict.
            try (ValidatorProcess again = ValidatorProcess.start(var, settings, temp.resolve("service.log"))) {
                again.awaitHealthUp(Duration.ofSeconds(120));
                var trophies = again.getJson("/api/status").path("trophies");
                assertTrue(trophies.path("signed").asLong() >= 1, "ledger after the restart: " + trophies);
            }
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String awaitHealth(ValidatorProcess service, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> last = service.get("/health");
        while (last.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(200);
            last = service.get("/health");
        }
        assertEquals(status, last.statusCode(), last.body());
        return last.body();
    }
}
