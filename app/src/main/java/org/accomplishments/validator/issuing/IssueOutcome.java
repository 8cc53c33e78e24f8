package org.accomplishments.validator.issuing;

/** What became of a request to award a trophy: outcomes as values, so a bulk run reports every row. */
public sealed interface IssueOutcome {

    /** Written into the share and recorded. */
    record Issued(IssuedTrophyRow row) implements IssueOutcome {
    }

    /**
     * Nothing was written; {@code reason} says why in words for the issuer. {@code conflict}: refused because the
     * award exists already (it stands, another request is writing it, or the share holds the file): HTTP 409.
     */
    record Refused(String reason, boolean conflict) implements IssueOutcome {
        public Refused(String reason) {
            this(reason, false);
        }
    }

    /** Started but failed while writing (the row stays as FAILED with the detail). */
    record Failed(String detail) implements IssueOutcome {
    }
}
