package org.accomplishments.validator.storage;

import org.accomplishments.validator.config.StartupRefusal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks the data directory before anything else touches it: it must be writable, and an appliance that already
 * has a validation key must find its database whole. A missing, empty or corrupt database beside a key is not a
 * new appliance: starting would open {@code /setup} to anyone and publish an empty revocation list, so the start
 * is refused with the file, the latest backup and the restore command.
 */
public final class DataDirectoryCheck {
    /** The command that restores a backup, as the operator types it. */
    public static final String RESTORE_COMMAND = "accomplishments-validator restore";

    private DataDirectoryCheck() {
    }

    public static void check(Path dataDir, String databaseUrl, String user, String password, Path backupDir)
            throws StartupRefusal {
        Path dir = dataDir.toAbsolutePath().normalize();
        writable(dir);
        Optional<EmbeddedDatabase> database = EmbeddedDatabase.of(databaseUrl);
        if (database.isEmpty()) {
            return;
        }
        EmbeddedDatabase db = database.get();
        Path file = db.file();
        boolean hasKey = holdsKey(dir.resolve("keys"));
        DatabaseBackups backups = new DatabaseBackups(backupDir);
        if (!Files.exists(file)) {
            // Keys alone may come from `keys list` or `keys import` before the first start; a database folder or a
            // backup beside them says a database existed here.
            boolean hadDatabase = Files.isDirectory(file.getParent()) || backups.latest().isPresent();
            if (hasKey && hadDatabase) {
                throw new StartupRefusal(StartupRefusal.DATA, "The data directory " + dir + " holds a validation key ("
                        + dir.resolve("keys") + ") but no database (" + file + " is missing), so it is not a new "
                        + "appliance and the service will not start as one; " + restoreHint(backups, file) + ".");
            }
            return;
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new StartupRefusal(StartupRefusal.DATA, "The database file " + file + " cannot be read ("
                    + e.getMessage() + ").");
        }
        if (size == 0) {
            if (hasKey) {
                throw new StartupRefusal(StartupRefusal.DATA, "The database file " + file + " is empty (0 bytes) but "
                        + "the data directory holds a validation key, so it is not a new appliance and the service "
                        + "will not start as one; " + restoreHint(backups, file) + ".");
            }
            return;
        }
        opens(db, user, password, backups);
    }

    /** Opens the database read-only once: a corrupt or locked file is reported in one sentence, not a stack trace. */
    private static void opens(EmbeddedDatabase db, String user, String password, DatabaseBackups backups)
            throws StartupRefusal {
        String url = db.url() + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r";
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.createStatement().execute("SELECT 1");
        } catch (SQLException e) {
            String message = firstLine(e.getMessage());
            int code = e.getErrorCode();
            if (code == 90020 || message.toLowerCase(Locale.ROOT).contains("already in use")
                    || message.toLowerCase(Locale.ROOT).contains("locked")) {
                throw new StartupRefusal(StartupRefusal.DATA, "The database file " + db.file() + " is in use by another "
                        + "process (is the service already running on this data directory?).");
            }
            if (code == 90048) {
                throw new StartupRefusal(StartupRefusal.DATA, "The database file " + db.file() + " was written by "
                        + "another version of H2 and cannot be opened (" + message + "); "
                        + restoreHint(backups, db.file()) + ".");
            }
            throw new StartupRefusal(StartupRefusal.DATA, "The database file " + db.file() + " is corrupt and the "
                    + "service will not start on it (H2: " + shorten(message) + "); " + restoreHint(backups, db.file())
                    + ".");
        }
    }

    static String restoreHint(DatabaseBackups backups, Path file) {
        Optional<Path> latest = backups.latest();
        if (latest.isEmpty()) {
            return "there is no backup in " + backups.dir() + " to restore, so move " + file.getParent()
                    + " aside to start as a new appliance only if this really is one";
        }
        return "the latest backup is " + latest.get() + ": stop the service and run `" + RESTORE_COMMAND
                + "` (or `java -jar accomplishments-validator.jar restore --from " + latest.get()
                + "`), which keeps the damaged file aside, then start the service again";
    }

    private static void writable(Path dir) throws StartupRefusal {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-test-", ".tmp");
            Files.delete(probe);
        } catch (AccessDeniedException e) {
            throw new StartupRefusal(StartupRefusal.CONFIG, "The data directory " + dir + " (validator.data-dir) is "
                    + "not writable by user " + System.getProperty("user.name") + ": permission denied on "
                    + e.getFile() + ".");
        } catch (FileSystemException e) {
            throw new StartupRefusal(StartupRefusal.CONFIG, "The data directory " + dir + " (validator.data-dir) is "
                    + "not writable: " + (e.getReason() == null ? e.toString() : e.getReason() + " (" + e.getFile() + ")")
                    + ".");
        } catch (IOException e) {
            throw new StartupRefusal(StartupRefusal.CONFIG, "The data directory " + dir + " (validator.data-dir) is "
                    + "not writable: " + e + ".");
        }
    }

    static boolean holdsKey(Path keys) {
        if (!Files.isDirectory(keys)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(keys)) {
            for (Path p : entries) {
                if (Files.isRegularFile(p) && Files.size(p) > 0) {
                    return true;
                }
            }
        } catch (IOException e) {
            return true; // unreadable keys are still keys: do not start as a new appliance over them
        }
        return false;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static String shorten(String s) {
        // H2 appends the JDBC URL and its error code in brackets: the file is named already.
        int bracket = s.indexOf(" [");
        String out = bracket > 0 ? s.substring(0, bracket) : s;
        return out.length() > 300 ? out.substring(0, 300) + "…" : out;
    }
}
