package org.accomplishments.validator.storage;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code validator.disk.*}: when the service stops taking work because a file system is nearly full. */
@ConfigurationProperties("validator.disk")
public interface StorageSettings {
    /**
     * Free space each watched file system must keep ({@code 256MB}): below it the pipeline claims nothing, issuing
     * refuses and {@code /health} is DOWN, so no write reaches a full disk.
     */
    String getMinFree();

    /** How often free space is measured (also before every claim of work, at most this often). */
    Duration getCheckInterval();

    /** More folders to watch besides the data directory, the database, the backups and the share roots. */
    List<Path> getPaths();
}
