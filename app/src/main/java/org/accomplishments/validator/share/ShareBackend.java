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
     * {@code refresh_shares()} then {@code get_shares()}; local: the directories below the root). Two folders
     * claiming one share id are both reported, as they are: which one the id belongs to is the core's decision
     * (the registry's), never the listing order's.
     */
    List<ShareOffer> offers() throws ShareBackendException;

    /** Accepts an offer the acceptance policy allowed; returns once the backend answered (or gave up). */
    AcceptOutcome accept(ShareOffer offer) throws ShareBackendException;

    /**
     * Accepts an offer without holding the caller while the backend's answer is awaited: the acceptor sends every
     * accept of a round this way, so one offer nobody answers delays only itself. A backend whose answers come
     * later (D-Bus signals) completes the stage when the answer for that share id arrives or its time is up, and
     * must not keep a thread per offer waiting. The default answers at once, on the caller's thread.
     */
    default java.util.concurrent.CompletionStage<AcceptOutcome> acceptAsync(ShareOffer offer) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(accept(offer));
        } catch (ShareBackendException | RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

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
