package org.accomplishments.validator.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The backup files of the embedded database in one folder: {@code validator-<UTC time>.zip}, each a complete,
 * consistent copy made online by H2's {@code BACKUP TO}, written under a temporary name, flushed and renamed, so a
 * file with the final name is always whole. Only files of that pattern are ever listed or removed.
 */
public final class DatabaseBackups {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("validator-\\d{8}T\\d{6}Z(-\\d+)?\\.zip");
    private static final Pattern TEMPORARY = Pattern.compile("\\.validator-\\d{8}T\\d{6}Z(-\\d+)?\\.zip\\.tmp");

    private final Path dir;

    public DatabaseBackups(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /** Every complete backup, newest first. */
    public List<Path> list() {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                    found.add(p);
                }
            }
        } catch (IOException e) {
            return found;
        }
        // The names sort by time (UTC, fixed width); a -N suffix orders two backups of the same second.
        found.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        return found;
    }

    public Optional<Path> latest() {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** A fresh final name and its temporary sibling for a backup taken now. */
    Target target(Instant now) throws IOException {
        Files.createDirectories(dir);
        String stamp = STAMP.format(now);
        String name = "validator-" + stamp + ".zip";
        for (int n = 1; Files.exists(dir.resolve(name)); n++) {
            name = "validator-" + stamp + "-" + n + ".zip";
        }
        return new Target(dir.resolve("." + name + ".tmp"), dir.resolve(name));
    }

    record Target(Path temporary, Path file) {
    }

    /** Flushes the written temporary file and gives it its final name in one rename. */
    static void publish(Target target) throws IOException {
        try (FileChannel channel = FileChannel.open(target.temporary(), StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(target.temporary(), target.file(), StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + target.temporary() + " atomically", e);
        }
        syncDirectory(target.file().getParent());
    }

    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            // Not every file system lets a directory be opened for a sync; the rename is then as durable as it gets.
        }
    }

    /** Removes all but the newest {@code keep} backups, and temporary files an interrupted backup left. */
    public List<Path> rotate(int keep) throws IOException {
        List<Path> removed = new ArrayList<>();
        List<Path> all = list();
        for (int i = Math.max(1, keep); i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
            removed.add(all.get(i));
        }
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    if (TEMPORARY.matcher(p.getFileName().toString()).matches()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        return removed;
    }
}
