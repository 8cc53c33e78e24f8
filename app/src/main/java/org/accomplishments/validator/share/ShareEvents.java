package org.accomplishments.validator.share;

import java.nio.file.Path;

/**
 * What a backend tells the core as it happens. Events only make things faster: the timers rescan everything
 * anyway, so a backend may drop events under load without losing work.
 */
public interface ShareEvents {
    /** A new offer may be waiting (D-Bus {@code NewShare}, a new directory in the local root). */
    void offersChanged();

    /**
     * Something changed inside a share's folder.
     *
     * @param file the changed file when the backend knows it (D-Bus {@code DownloadFinished}), else {@code null}
     */
    void shareChanged(String shareId, Path file);

    /** Events were lost (kernel queue overflow, a reconnect): everything should be rescanned soon. */
    void somethingMissed();

    /** The share is gone at the backend (deleted, unsubscribed). */
    void shareGone(String shareId);
}
