package org.accomplishments.validator.share;

import java.nio.file.Path;

/** A share this server knows about, as recorded in the ledger. */
public record Share(String id, String backend, String owner, String visibleName, String name, Path folder,
                    ShareState state, String reason) {

    public boolean accepted() {
        return state == ShareState.ACCEPTED;
    }
}
