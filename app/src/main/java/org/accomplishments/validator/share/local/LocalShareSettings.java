package org.accomplishments.validator.share.local;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.nio.file.Path;

/** {@code validator.shares.local.*}. */
@ConfigurationProperties("validator.shares.local")
public interface LocalShareSettings {
    /** The folder whose sub-directories are the shares (default {@code <data-dir>/shares}). */
    Path getRoot();
}
