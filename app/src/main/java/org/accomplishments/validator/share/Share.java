package org.accomplishments.validator.share;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A share this server knows about, as recorded in the ledger.
 *
 * @param nextOfferAt for an offer the backend did not take yet: when it is asked again (null: at the next round)
 */
public record Share(String id, String backend, String owner, String visibleName, String name, Path folder,
                    ShareState state, String reason, Instant nextOfferAt) {

    public Share(String id, String backend, String owner, String visibleName, String name, Path folder,
                 ShareState state, String reason) {
        this(id, backend, owner, visibleName, name, folder, state, reason, null);
    }

    public boolean accepted() {
        return state == ShareState.ACCEPTED;
    }
}
