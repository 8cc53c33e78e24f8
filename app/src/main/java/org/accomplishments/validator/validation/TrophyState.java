package org.accomplishments.validator.validation;

import java.util.Set;

/** Where a candidate trophy is in the pipeline. Every change is also a {@code trophy_event} row. */
public enum TrophyState {
    /** Found in a share, not validated yet. */
    PENDING,
    /** Validated, not final: the script said "not yet", failed, or a dependency is not signed; retried later. */
    WAITING,
    /** Accomplished: the signature is being written. A crash here resumes by writing (or recognising) the .asc. */
    SIGNING,
    /** The .trophy.asc is written. */
    SIGNED,
    /** Refused: the .trophy.rejected is being written. */
    REJECTING,
    /** The .trophy.rejected is written. */
    REJECTED,
    /** A local accomplishment's trophy: the server writes nothing for it. */
    IGNORED,
    /** The file at this path has changed since; a newer row carries the current content. */
    SUPERSEDED,
    /** The file is gone from the share. */
    VANISHED,
    /**
     * Signed once, then its award was revoked: its signature is in the revocation list, is never written again and
     * is not counted as signed (nor does it satisfy a dependency). Terminal for this content.
     */
    REVOKED;

    /** States that still have work to do. */
    public static final Set<TrophyState> OPEN = Set.of(PENDING, WAITING, SIGNING, REJECTING);

    public boolean isOpen() {
        return OPEN.contains(this);
    }
}
