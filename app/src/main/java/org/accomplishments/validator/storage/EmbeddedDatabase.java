package org.accomplishments.validator.storage;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the embedded H2 database lives on disk, read from the JDBC URL ({@code jdbc:h2:file:/x/db/validator;...}
 * is the file {@code /x/db/validator.mv.db}). Any other URL (PostgreSQL, in-memory H2) has no file here.
 */
public record EmbeddedDatabase(String url, Path base) {
    private static final String PREFIX = "jdbc:h2:file:";

    public static Optional<EmbeddedDatabase> of(String url) {
        if (url == null || !url.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = url.substring(PREFIX.length());
        int options = rest.indexOf(';');
        String file = options < 0 ? rest : rest.substring(0, options);
        if (file.startsWith("~")) {
            file = System.getProperty("user.home") + file.substring(1);
        }
        Path base = Path.of(file).toAbsolutePath().normalize();
        return Optional.of(new EmbeddedDatabase(PREFIX + base + (options < 0 ? "" : rest.substring(options)), base));
    }

    /** The MVStore file, {@code <base>.mv.db}. */
    public Path file() {
        return base.resolveSibling(base.getFileName() + ".mv.db");
    }

    /** The file's name inside a backup ({@code BACKUP TO} stores it under its own name). */
    public String entryName() {
        return file().getFileName().toString();
    }
}
