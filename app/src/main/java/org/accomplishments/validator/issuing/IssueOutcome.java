package org.accomplishments.validator.issuing;

/** What became of a request to award a trophy: outcomes as values, so a bulk run reports every row. */
public sealed interface IssueOutcome {

    /** Written into the share and recorded. */
    record Issued(IssuedTrophyRow row) implements IssueOutcome {
    }

    /** Nothing was written; {@code reason} says why in words for the issuer. */
    record Refused(String reason) implements IssueOutcome {
    }

    /** Started but failed while writing (the row stays as FAILED with the detail). */
    record Failed(String detail) implements IssueOutcome {
    }
}
