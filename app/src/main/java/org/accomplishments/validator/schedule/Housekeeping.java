package org.accomplishments.validator.schedule;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;

/** Clean-up of the service's own scratch space (never of anything inside a share). */
@Singleton
public class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    private final Path workRoot;

    public Housekeeping(@Value("${validator.data-dir}") Path dataDir) {
        this.workRoot = dataDir.resolve("work");
    }

    /** Logic-script runs delete their own work directory; one left behind means the process died mid-run. */
    public int removeStaleWorkDirectories(Duration age) {
        if (!Files.isDirectory(workRoot)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(age);
        int removed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(workRoot)) {
            for (Path dir : dirs) {
                BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (attrs.lastModifiedTime().toInstant().isBefore(cutoff) || age.isZero()) {
                    deleteTree(dir);
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.warn("cleaning {} failed: {}", workRoot, e.getMessage());
        }
        if (removed > 0) {
            LOG.info("removed {} work directories left by interrupted logic-script runs", removed);
        }
        return removed;
    }

    private static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
