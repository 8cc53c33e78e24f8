package org.accomplishments.validator.storage;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;

/** {@code validator.backup.*}: online backups of the embedded H2 database. */
@ConfigurationProperties("validator.backup")
public interface BackupSettings {
    /** Whether backups are taken (only of an embedded H2 database; PostgreSQL is backed up with its own tools). */
    boolean isEnabled();

    /** Time between two backups (the first one follows the start after this long). */
    Duration getInterval();

    /** How many backups are kept; older ones (files this service wrote) are removed. */
    int getKeep();

    /** Where the backups go (default {@code <data-dir>/backups}). */
    Path getDir();
}
