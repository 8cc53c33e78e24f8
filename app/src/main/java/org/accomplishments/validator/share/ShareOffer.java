package org.accomplishments.validator.share;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A share as a backend reports it: offered to the validation account, pending or already accepted there.
 *
 * @param shareId          the backend's stable id (Ubuntu One: the volume id); the only reliable key
 * @param owner            who offered it (user name), as the backend says
 * @param visibleName      the owner's display name, when the backend has one
 * @param name             the share's name
 * @param folder           the local directory its files sync into
 * @param acceptedAtBackend whether the backend already considers it accepted (D-Bus: {@code accepted == 'True'})
 */
public record ShareOffer(String shareId, String owner, String visibleName, String name, Path folder,
                         boolean acceptedAtBackend) {
    public ShareOffer {
        Objects.requireNonNull(shareId, "shareId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(folder, "folder");
    }
}
