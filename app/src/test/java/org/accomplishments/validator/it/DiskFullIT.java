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
 * validator.disk.min-free, /health goes DOWN naming the reason and issuing answers 503; once space is freed the
 * service is UP again by itself, without a restart.
 */
class DiskFullIT {
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
            try (ValidatorProcess service = ValidatorProcess.start(var, Map.of("validator.disk.min-free", "32MB",
                    "validator.disk.check-interval", "500ms"), temp.resolve("service.log"))) {
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
                Files.delete(filler);
                service.awaitHealthUp(Duration.ofSeconds(30));
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
