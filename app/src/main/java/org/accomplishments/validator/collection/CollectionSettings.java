package org.accomplishments.validator.collection;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code validator.collections.*}. */
@ConfigurationProperties("validator.collections")
public interface CollectionSettings {
    /** Collection roots in search order (classic {@code accompath}). */
    List<Path> getPath();

    Duration getReloadInterval();
}
