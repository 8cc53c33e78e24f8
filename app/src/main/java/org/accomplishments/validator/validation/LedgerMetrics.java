package org.accomplishments.validator.validation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;

/**
 * {@code validator_trophies{state=...}}: how many trophies are in each state (waiting ones included), read from
 * the ledger at most every few seconds however often the metrics are scraped.
 */
@Context
public class LedgerMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerMetrics.class);
    private static final long MAX_AGE_NANOS = 5_000_000_000L;

    private final TrophyLedger ledger;
    private volatile Map<String, Long> counts = Map.of();
    private volatile long readAt;

    public LedgerMetrics(TrophyLedger ledger, MeterRegistry meters) {
        this.ledger = ledger;
        for (TrophyState state : TrophyState.values()) {
            String name = state.name().toLowerCase(Locale.ROOT);
            Gauge.builder("validator.trophies", this, m -> m.count(name))
                    .description("Trophies in the ledger now, by state (read from the database at most every 5 s); "
                            + "the dashboard's counts").tag("state", name).register(meters);
        }
        // Zero unless the service runs on CountingJdbcDriver (benchmarks: SQL statements and commits per trophy).
        io.micrometer.core.instrument.FunctionCounter.builder("validator.database.statements",
                CountingJdbcDriver.STATEMENTS, java.util.concurrent.atomic.AtomicLong::get)
                .description("SQL statements executed, counted only on jdbc:counting: URLs").register(meters);
        io.micrometer.core.instrument.FunctionCounter.builder("validator.database.commits",
                CountingJdbcDriver.COMMITS, java.util.concurrent.atomic.AtomicLong::get)
                .description("Commits, counted only on jdbc:counting: URLs").register(meters);
        io.micrometer.core.instrument.FunctionCounter.builder("validator.database.read.only.switches",
                CountingJdbcDriver.READ_ONLY_SWITCHES, java.util.concurrent.atomic.AtomicLong::get)
                .description("Connection.setReadOnly calls, counted only on jdbc:counting: URLs").register(meters);
    }

    private double count(String state) {
        long now = System.nanoTime();
        if (now - readAt > MAX_AGE_NANOS) {
            try {
                counts = ledger.countsByState();
                readAt = now;
            } catch (RuntimeException e) {
                LOG.debug("cannot read the ledger for metrics: {}", e.toString());
            }
        }
        return counts.getOrDefault(state, 0L);
    }
}
