package org.accomplishments.validator.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Puts a backup back in place of the embedded database, while the service is stopped: the current file (corrupt,
 * empty or whatever it is) is renamed aside to {@code <file>.damaged-<time>}, never deleted, and the backup's copy
 * is written under a temporary name, flushed and renamed into place.
 */
public final class DatabaseRestore {

    public record Restored(Path database, Path from, Optional<Path> keptAside) {
    }

    /** Why a restore did not happen, in one sentence. */
    public static final class RestoreRefused extends Exception {
        RestoreRefused(String message) {
            super(message, null, false, false);
        }
    }

    private DatabaseRestore() {
    }

    public static Restored restore(EmbeddedDatabase db, DatabaseBackups backups, Optional<Path> from, Instant now)
            throws RestoreRefused, IOException {
        Path backup = from.map(p -> p.toAbsolutePath().normalize()).or(backups::latest).orElseThrow(() ->
                new RestoreRefused("there is no backup in " + backups.dir() + "; name one with --from FILE"));
        if (!Files.isRegularFile(backup)) {
            throw new RestoreRefused("the backup " + backup + " does not exist or is not a file");
        }
        Path file = db.file();
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling("." + file.getFileName() + ".restore.tmp");
        try (ZipFile zip = new ZipFile(backup.toFile())) {
            ZipEntry entry = zip.getEntry(db.entryName());
            if (entry == null) {
                throw new RestoreRefused("the backup " + backup + " holds no " + db.entryName()
                        + " (is it a backup of this service's database?)");
            }
            try (InputStream in = zip.getInputStream(entry);
                 OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.CREATE,
                         StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                in.transferTo(out);
            }
        } catch (java.util.zip.ZipException e) {
            Files.deleteIfExists(temporary);
            throw new RestoreRefused("the backup " + backup + " is not a readable zip file (" + e.getMessage() + ")");
        }
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Optional<Path> aside = Optional.empty();
        if (Files.exists(file)) {
            refuseWhileInUse(file, temporary);
            Path target = file.resolveSibling(file.getFileName() + ".damaged-" + DatabaseBackups.STAMP.format(now));
            for (int n = 1; Files.exists(target); n++) {
                target = file.resolveSibling(file.getFileName() + ".damaged-" + DatabaseBackups.STAMP.format(now) + "-" + n);
            }
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            aside = Optional.of(target);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        DatabaseBackups.syncDirectory(file.getParent());
        return new Restored(file, backup, aside);
    }

    /** The running service holds a lock on the file (H2 locks it while open); never pull it from under it. */
    private static void refuseWhileInUse(Path file, Path temporary) throws RestoreRefused, IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                Files.deleteIfExists(temporary);
                throw new RestoreRefused("the database " + file + " is in use: stop the service first");
            }
            lock.release();
        }
    }
}
