package org.accomplishments.validator.cli;

import org.accomplishments.validator.config.StartupRefusal;
import org.accomplishments.validator.storage.DatabaseBackups;
import org.accomplishments.validator.storage.DatabaseRestore;
import org.accomplishments.validator.storage.EmbeddedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code restore [--from FILE]}: puts a backup of the embedded database back in place, with the service stopped.
 * The current database file is kept aside ({@code validator.mv.db.damaged-<time>}), never deleted.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore the embedded H2 database from a backup (default: the newest in validator.backup.dir). "
                + "Run it while the service is stopped; the current database file is renamed aside, never deleted.")
public class RestoreCommand implements Callable<Integer> {
    @Option(names = "--from", paramLabel = "FILE", description = "The backup to restore (a validator-<time>.zip).")
    Path from;

    @Option(names = "--list", description = "List the backups, newest first, and restore nothing.")
    boolean list;

    @Override
    public Integer call() throws Exception {
        try (Settings settings = new Settings()) {
            Path dataDir = settings.dataDir();
            String url = settings.property("datasources.default.url", "");
            Optional<EmbeddedDatabase> db = EmbeddedDatabase.of(url);
            DatabaseBackups backups = new DatabaseBackups(Path.of(settings.property("validator.backup.dir",
                    dataDir.resolve("backups").toString())));
            if (list) {
                backups.list().forEach(p -> System.out.println(p));
                return ExitCodes.GOOD;
            }
            if (db.isEmpty()) {
                System.err.println("restore: the database is not an embedded H2 file (datasources.default.url = "
                        + url.replaceAll("password=[^;&]*", "password=***") + "); restore it with its own tools");
                return ExitCodes.FAILURE;
            }
            try {
                // The service's own lock, not only H2's: a service starting during the restore would open the
                // file being moved aside.
                DataDirectoryLock.acquire(dataDir, "stop the service before restoring its database.");
            } catch (StartupRefusal refusal) {
                System.err.println("restore: " + refusal.getMessage());
                return ExitCodes.FAILURE; // as README documents for "the service is running"
            }
            try {
                DatabaseRestore.Restored done = DatabaseRestore.restore(db.get(), backups, Optional.ofNullable(from),
                        Instant.now());
                System.out.println("restored " + done.database() + " from " + done.from()
                        + done.keptAside().map(p -> "; the previous file is kept as " + p).orElse("")
                        + "; start the service again");
                return ExitCodes.GOOD;
            } catch (DatabaseRestore.RestoreRefused e) {
                System.err.println("restore: " + e.getMessage());
                return ExitCodes.FAILURE;
            }
        }
    }
}
