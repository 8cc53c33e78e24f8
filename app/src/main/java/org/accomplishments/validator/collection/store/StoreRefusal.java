package org.accomplishments.validator.collection.store;

import java.util.List;

/** A submission, index or install refused, with every reason found (never empty). */
public final class StoreRefusal extends Exception {
    private final List<Reason> reasons;

    public StoreRefusal(List<Reason> reasons) {
        super(reasons.isEmpty() ? "refused" : reasons.get(0).toString()
                + (reasons.size() > 1 ? " (and " + (reasons.size() - 1) + " more)" : ""));
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a refusal needs a reason");
        }
        this.reasons = List.copyOf(reasons);
    }

    public StoreRefusal(String reason, String detail) {
        this(List.of(new Reason(reason, detail)));
    }

    public List<Reason> reasons() {
        return reasons;
    }
}
