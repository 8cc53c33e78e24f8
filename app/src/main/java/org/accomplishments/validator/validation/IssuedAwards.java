package org.accomplishments.validator.validation;

import java.time.Instant;
import java.util.Optional;

/**
 * What the ledger needs to know of human-issued trophies (the issuing package answers): whether an award stands for
 * exactly this content, so a signature that went missing is written again like any other instead of the trophy being
 * rejected for having no logic script.
 */
public interface IssuedAwards {

    /** An issued, not revoked award, and when it was issued (the time its signature's binding carries). */
    record Standing(long id, Instant issuedAt) {
    }

    Optional<Standing> standing(String shareId, String path, String sha256);

    /** The ledger signed the award again: the revocation list must know this signature too. */
    void signedAgain(long awardId, String signedTextSha256, String fingerprint, Instant at);
}
