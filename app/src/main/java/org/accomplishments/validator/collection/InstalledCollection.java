package org.accomplishments.validator.collection;

import java.nio.file.Path;
import java.util.Objects;
import org.accomplishments.validator.trophy.CollectionAbout;

/**
 * A collection as loaded: its folder name (the {@code <collection>} part of ids), its ABOUT, and the root
 * the ABOUT came from (the one that took precedence).
 */
public record InstalledCollection(String name, CollectionAbout about, Path root) {

    public InstalledCollection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(about, "about");
        Objects.requireNonNull(root, "root");
    }
}
