package org.accomplishments.validator.validation;

import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.accomplishments.validator.collection.CatalogLoaded;
import org.accomplishments.validator.trophy.RejectionReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates verdicts again, through the ledger: each selected row goes back to {@code PENDING} and the pipeline
 * writes its new verdict file the way it writes every verdict (temporary file, rename; a signature replaces the
 * old rejection), never touching the user's {@code .trophy}.
 *
 * <p>Two ways in: an operator's filter (reason, collection, share), and by itself when the loaded collections
 * change, for the verdicts that said more about the appliance's configuration than about the trophy.
 */
@Singleton
public class TrophyRevalidation {
    private static final Logger LOG = LoggerFactory.getLogger(TrophyRevalidation.class);

    /** Verdicts that a fix of the appliance's own collections can turn around. */
    public static final List<RejectionReason> CONFIGURATION_DEPENDENT = List.of(RejectionReason.UNKNOWN_ACCOMPLISHMENT,
            RejectionReason.NO_LOGIC_SCRIPT, RejectionReason.NOT_GLOBAL);
    /** The states a filter may select: rows with a verdict (open work is being validated anyway). */
    public static final Set<TrophyState> VERDICTS = EnumSet.of(TrophyState.REJECTED, TrophyState.SIGNED,
            TrophyState.IGNORED);
    static final int MAX_PER_REQUEST = 100_000;

    private final RevalidationQueries queries;
    private final TrophyLedger ledger;
    private final ValidationPipeline pipeline;
    private final Clock clock;

    public TrophyRevalidation(RevalidationQueries queries, TrophyLedger ledger, ValidationPipeline pipeline,
                              Clock clock) {
        this.queries = queries;
        this.ledger = ledger;
        this.pipeline = pipeline;
        this.clock = clock;
    }

    /**
     * Which rows to validate again. Empty fields match anything, but at least one of reason, collection and share
     * must be given, so no slip of a form re-validates the whole ledger.
     */
    public record Filter(Set<TrophyState> states, Optional<RejectionReason> reason, Optional<String> collection,
                         Optional<String> share) {
        public Filter {
            states = states.isEmpty() ? EnumSet.of(TrophyState.REJECTED) : EnumSet.copyOf(states);
        }

        /** Parses what a person typed; the message says what is wrong. */
        public static Filter parse(List<String> states, String reason, String collection, String share) {
            EnumSet<TrophyState> parsed = EnumSet.noneOf(TrophyState.class);
            for (String s : states == null ? List.<String>of() : states) {
                if (s == null || s.isBlank()) {
                    continue;
                }
                TrophyState state = null;
                for (TrophyState candidate : VERDICTS) {
                    if (candidate.name().equalsIgnoreCase(s.strip())) {
                        state = candidate;
                    }
                }
                if (state == null) {
                    throw new IllegalArgumentException("state must be one of " + VERDICTS.stream()
                            .map(v -> v.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(", "))
                            + ", not '" + s + "'");
                }
                parsed.add(state);
            }
            Optional<RejectionReason> r = Optional.empty();
            if (reason != null && !reason.isBlank()) {
                r = RejectionReason.fromWireName(reason.strip());
                if (r.isEmpty()) {
                    throw new IllegalArgumentException("reason must be a rejection reason of README's table (e.g. "
                            + "unknown-accomplishment), not '" + reason + "'");
                }
            }
            Optional<String> c = blankToEmpty(collection);
            if (c.isPresent() && (c.get().contains("/") || c.get().contains("\\") || c.get().length() > 200)) {
                throw new IllegalArgumentException("collection is a collection's name (the first part of an "
                        + "accomplishment id), not '" + collection + "'");
            }
            Optional<String> sh = blankToEmpty(share);
            if (r.isEmpty() && c.isEmpty() && sh.isEmpty()) {
                throw new IllegalArgumentException("give at least one of reason, collection and share");
            }
            return new Filter(parsed, r, c, sh);
        }

        private static Optional<String> blankToEmpty(String s) {
            return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
        }

        public String describe() {
            StringBuilder b = new StringBuilder("state ").append(states.stream()
                    .map(s -> s.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining("|")));
            reason.ifPresent(v -> b.append(", reason ").append(v.wireName()));
            collection.ifPresent(v -> b.append(", collection ").append(v));
            share.ifPresent(v -> b.append(", share ").append(v));
            return b.toString();
        }
    }

    /** Queues every row the filter selects; returns how many were queued (rows being processed are skipped). */
    public int revalidate(Filter filter, String why) {
        String prefix = filter.collection().map(c -> c + "/").orElse("");
        List<Long> ids = queries.matching(filter.states().stream().map(Enum::name).toList(),
                filter.reason().map(RejectionReason::wireName).orElse(""), filter.share().orElse(""), prefix,
                Math.max(1, prefix.length()), MAX_PER_REQUEST);
        int queued = requeue(ids, why);
        LOG.info("revalidation by filter ({}): {} of {} matching trophies queued; {}", filter.describe(), queued,
                ids.size(), why);
        return queued;
    }

    /**
     * After every load: when what is loaded differs from what the ledger's configuration-dependent verdicts were
     * made with (or nothing was recorded yet, as after an upgrade), those verdicts are validated again. With no
     * accomplishment loaded nothing is validated at all, so nothing is recorded either.
     */
    @EventListener
    public void onCatalogLoaded(CatalogLoaded event) {
        if (event.catalog().size() == 0) {
            return;
        }
        try {
            Optional<String> recorded = queries.recordedFingerprint();
            if (recorded.isPresent() && recorded.get().strip().equals(event.fingerprint())) {
                return;
            }
            if (recorded.isEmpty()) {
                queries.recordFirstFingerprint(event.fingerprint(), event.catalog().size(), clock.instant());
            } else if (queries.replaceFingerprint(recorded.get(), event.fingerprint(), event.catalog().size(),
                    clock.instant()) != 1) {
                return; // another node saw the same change first and re-validates
            }
        } catch (RuntimeException e) {
            // A second node inserting the first row at the same moment, or the database away: the next load retries.
            LOG.warn("recording the loaded collections failed: {}; the next reload tries again", e.toString());
            return;
        }
        List<Long> ids = queries.rejectedFor(CONFIGURATION_DEPENDENT.stream().map(RejectionReason::wireName).toList());
        int queued = requeue(ids, "the loaded collections changed (" + event.catalog().size()
                + " accomplishments now); a verdict that depended on them is validated again");
        if (!ids.isEmpty()) {
            LOG.info("the loaded collections changed: {} of {} configuration-dependent rejections "
                    + "(unknown-accomplishment, no-logic-script, not-global) queued for validation again", queued, ids.size());
        }
    }

    private int requeue(List<Long> ids, String why) {
        int queued = 0;
        for (long id : ids) {
            if (ledger.requeue(id, why).isPresent()) {
                queued++;
            }
        }
        if (queued > 0) {
            pipeline.wake();
        }
        return queued;
    }
}
