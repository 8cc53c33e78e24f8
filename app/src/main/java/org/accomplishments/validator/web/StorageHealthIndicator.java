package org.accomplishments.validator.web;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import org.accomplishments.validator.storage.StorageGuard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code storage} in {@code /health}: DOWN while a watched file system is below {@code validator.disk.min-free}
 * (work is paused), with the reason in the {@code reason} detail.
 */
@Singleton
public class StorageHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final StorageGuard storage;

    public StorageHealthIndicator(StorageGuard storage) {
        this.storage = storage;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        storage.check();
        Map<String, Object> details = new LinkedHashMap<>();
        storage.pauseReason().ifPresent(reason -> details.put("reason", reason));
        healthStatus = storage.pauseReason().isPresent() ? HealthStatus.DOWN : HealthStatus.UP;
        details.put("minFreeBytes", storage.minFree());
        details.put("freeBytes", storage.freeBytes());
        return details;
    }

    @Override
    protected String getName() {
        return "storage";
    }
}
