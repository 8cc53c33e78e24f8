package org.accomplishments.validator.validation;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;

/**
 * The database statement counters of {@link CountingJdbcDriver} (benchmarks). The trophies per state,
 * {@code validator_trophies{state=...}}, are {@code OperationsMetrics}' (read from the kept counts, not the ledger).
 */
@Context
public class LedgerMetrics {
    public LedgerMetrics(MeterRegistry meters) {
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
}
