package org.accomplishments.validator.share;

import java.util.List;

/**
 * The port every share backend implements (local folder tree, the Ubuntu One / Magicicada sync daemon over D-Bus,
 * later Syncthing). The core never asks which one it talks to; each adapter passes the same contract test.
 */
public interface ShareBackend extends AutoCloseable {

    /** The value of {@code validator.shares.backend} that selects this backend. */
    String name();

    /** Starts delivering events. Called once, after the core is ready to take them. */
    void start(ShareEvents events);

    /**
     * Every share currently offered to this server, pending or accepted, freshly read from the source (D-Bus:
     * {@code refresh_shares()} then {@code get_shares()}; local: the directories below the root).
     */
    List<ShareOffer> offers() throws ShareBackendException;

    /** Accepts an offer the acceptance policy allowed; returns once the backend answered (or gave up). */
    AcceptOutcome accept(ShareOffer offer) throws ShareBackendException;

    /** Declines an offer the policy refused. The share's files are left untouched either way. */
    void decline(ShareOffer offer) throws ShareBackendException;

    /**
     * Keeps delivering change events for a share accepted earlier (in this run or a previous one). Backends whose
     * events cover every accepted share anyway need not do anything.
     */
    default void follow(Share share) {
    }

    /** File access confined to an accepted share's folder. */
    ShareFolder folder(Share share);

    /**
     * The folders on this machine the backend writes verdicts into, so the core can pause before their file system
     * fills ({@code validator.disk.min-free}). Empty when the backend cannot tell (then list them in
     * {@code validator.disk.paths}).
     */
    default List<java.nio.file.Path> roots() {
        return List.of();
    }

    /** Whether the backend can currently reach its source, with a human-readable detail. */
    BackendHealth health();

    @Override
    void close();

    record BackendHealth(boolean up, String detail) {
    }
}
