package org.accomplishments.validator.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.Map;

/**
 * The # HELP text and the histogram buckets of meters that are created where the work happens (the pipeline counts
 * a verdict in one line, without a description): kept here, in one place, so the scrape explains every series
 * and the latencies come as Prometheus histograms ({@code _bucket{le=...}}), which can be aggregated across nodes
 * and turned into quantiles by {@code histogram_quantile}, where summaries could not.
 */
@Singleton
public class MeterCatalogue implements MeterFilter {
    static final Map<String, String> HELP = Map.of(
            "validator.trophies.signed", "Trophies signed by the validation (a .trophy.asc written): the ledger's "
                    + "signed count at start-up plus every signing since, so it survives a restart",
            "validator.trophies.rejected", "Trophies rejected by the validation (a .trophy.rejected written), by "
                    + "reason: the ledger's count at start-up plus every rejection since",
            "validator.trophies.waiting.transitions", "Times a trophy was put back to wait: the logic script said "
                    + "not yet or failed, or a dependency is not signed yet",
            "validator.validation.latency", "Seconds from a trophy's discovery in a share to its verdict written "
                    + "into the share",
            "validator.script.duration", "Seconds a logic script ran, by its answer",
            "executor", "Seconds the tasks of an executor ran",
            "http.server.requests", "Seconds the service took to answer HTTP requests, by route (uri), method and status",
            "executor.idle", "Seconds the tasks of an executor waited in its queue");

    /** Bucket upper bounds in seconds: a verdict takes from milliseconds (no script) to hours (retries). */
    static final double[] LATENCY_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400};
    /** Logic scripts: the default time limit is 30 s. */
    static final double[] SCRIPT_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    /** Web requests: the dashboard's target is 200 ms (docs/benchmarks.md). */
    static final double[] REQUEST_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10};

    private static final Map<String, double[]> HISTOGRAMS = Map.of(
            "validator.validation.latency", LATENCY_BUCKETS,
            "validator.script.duration", SCRIPT_BUCKETS,
            "http.server.requests", REQUEST_BUCKETS);

    @Override
    public Meter.Id map(Meter.Id id) {
        String help = HELP.get(id.getName());
        if (help == null || (id.getDescription() != null && !id.getDescription().isBlank())) {
            return id;
        }
        return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTags()), id.getBaseUnit(), help,
                id.getType());
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        double[] seconds = HISTOGRAMS.get(id.getName());
        if (seconds == null || id.getType() != Meter.Type.TIMER) {
            return config;
        }
        double[] nanos = Arrays.stream(seconds).map(s -> s * 1e9).toArray(); // timers record nanoseconds
        return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
    }
}
