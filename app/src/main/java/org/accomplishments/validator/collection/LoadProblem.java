package org.accomplishments.validator.collection;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something in a collection root that could not be used, and why. Problems never stop a load: the rest of
 * the collections still loads, and the operator reads the list (API, logs) to fix the files.
 */
public record LoadProblem(Path file, String reason) {

    public LoadProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
