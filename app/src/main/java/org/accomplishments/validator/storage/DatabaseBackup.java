package org.accomplishments.validator.storage;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Takes an online backup of the embedded H2 database ({@code BACKUP TO}: a transactionally consistent copy while
 * the service works), publishes it atomically into the backup folder and keeps the newest
 * {@code validator.backup.keep}. Skipped, with a log line, for a database that is not an H2 file, while disk space
 * is low, or when the copy would itself bring the disk below {@code validator.disk.min-free}.
 */
@Singleton
public class DatabaseBackup {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseBackup.class);

    private final DataSource dataSource;
    private final BackupSettings settings;
    private final StorageGuard storage;
    private final Optional<EmbeddedDatabase> database;
    private final DatabaseBackups backups;
    private final Clock clock;

    public DatabaseBackup(DataSource dataSource, BackupSettings settings, StorageGuard storage,
                          @Value("${datasources.default.url:}") String url, Clock clock) {
        // The raw pool: the injected DataSource is a contextual proxy that needs a surrounding transaction.
        this.dataSource = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(dataSource);
        this.settings = settings;
        this.storage = storage;
        this.database = EmbeddedDatabase.of(url);
        this.backups = new DatabaseBackups(settings.getDir());
        this.clock = clock;
    }

    public boolean applies() {
        return settings.isEnabled() && database.isPresent();
    }

    public DatabaseBackups backups() {
        return backups;
    }

    /**
     * A backup when the newest one is older than {@code validator.backup.interval} (or there is none). Judged by the
     * files, not by a timer's start: an appliance restarted more often than the interval still gets its backups, and
     * a new one gets its first within a minute of its first start.
     */
    public Optional<Path> backupIfDue() throws IOException, SQLException {
        if (!applies()) {
            return Optional.empty();
        }
        Optional<Path> latest = backups.latest();
        if (latest.isPresent()) {
            java.time.Instant taken = Files.getLastModifiedTime(latest.get()).toInstant();
            if (taken.plus(settings.getInterval()).isAfter(clock.instant())) {
                return Optional.empty();
            }
        }
        return backupNow();
    }

    /** How often {@link #backupIfDue()} is asked: the interval, at most a minute apart. */
    public java.time.Duration checkInterval() {
        java.time.Duration minute = java.time.Duration.ofMinutes(1);
        return settings.getInterval().compareTo(minute) < 0 ? settings.getInterval() : minute;
    }

    /** One backup now; the file written, or empty when skipped (the reason is logged). */
    public synchronized Optional<Path> backupNow() throws IOException, SQLException {
        if (!applies()) {
            return Optional.empty();
        }
        Optional<String> paused = storage.pauseReason();
        if (paused.isPresent()) {
            LOG.warn("database backup skipped: {}", paused.get());
            return Optional.empty();
        }
        long size = Files.size(database.get().file());
        Optional<Long> free = StorageGuard.usable(backups.dir());
        if (free.isPresent() && free.get() - size < storage.minFree()) {
            LOG.warn("database backup skipped: a copy of {} ({}) would leave {} below validator.disk.min-free on {}",
                    database.get().file(), ByteSize.display(size), ByteSize.display(Math.max(0, free.get() - size)),
                    backups.dir());
            return Optional.empty();
        }
        DatabaseBackups.Target target = backups.target(clock.instant());
        try (Connection c = dataSource.getConnection();
             PreparedStatement backup = c.prepareStatement("BACKUP TO ?")) {
            backup.setString(1, target.temporary().toString());
            backup.execute();
            DatabaseBackups.publish(target);
        } finally {
            Files.deleteIfExists(target.temporary());
        }
        List<Path> removed = backups.rotate(settings.getKeep());
        LOG.info("database backed up to {} ({}); {} older backup(s) removed, {} kept", target.file(),
                ByteSize.display(Files.size(target.file())), removed.size(), backups.list().size());
        return Optional.of(target.file());
    }
}
