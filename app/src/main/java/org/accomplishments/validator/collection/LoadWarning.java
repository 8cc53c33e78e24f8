package org.accomplishments.validator.collection;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something in a collection root that loaded, but not cleanly: the file is used as the 2012 server would
 * have used it, and the operator should still fix it. Today: a key or section repeated in a collection file,
 * where (as with Python 2's ConfigParser) the last value counts. Contrast {@link LoadProblem}: something that
 * did not load.
 */
public record LoadWarning(Path file, String reason) {

    public LoadWarning {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
