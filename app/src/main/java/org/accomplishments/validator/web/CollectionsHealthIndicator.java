package org.accomplishments.validator.web;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import org.accomplishments.validator.collection.InstalledCollections;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loaded collections in {@code /health}: {@code DEGRADED} (HTTP 200) with the reason while no accomplishment is
 * loaded, so nothing is validated. Not DOWN: a fresh appliance boots before its collection is installed, and its
 * unit counts as started only once /health answers 200; the reason is in the details and in /api/status.
 */
@Singleton
public class CollectionsHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    /** Between UP and DOWN (no "operational" flag): the service runs, but does not do its main job. */
    static final HealthStatus DEGRADED = new HealthStatus("DEGRADED",
            "the service runs but validates nothing", null, null);

    private final InstalledCollections collections;

    public CollectionsHealthIndicator(InstalledCollections collections) {
        this.collections = collections;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("accomplishments", collections.catalog().size());
        collections.notValidatingBecause().ifPresentOrElse(why -> {
            healthStatus = DEGRADED;
            details.put("reason", why);
        }, () -> healthStatus = HealthStatus.UP);
        return details;
    }

    @Override
    protected String getName() {
        return "collections";
    }
}
