package org.accomplishments.validator.web;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import org.accomplishments.validator.share.ShareBackend;

import java.util.Map;

/** The share backend's state in {@code /health} (DOWN when its source cannot be reached). */
@Singleton
public class ShareBackendHealthIndicator extends AbstractHealthIndicator<Map<String, String>> {
    private final ShareBackend backend;

    public ShareBackendHealthIndicator(ShareBackend backend) {
        this.backend = backend;
    }

    @Override
    protected Map<String, String> getHealthInformation() {
        ShareBackend.BackendHealth health = backend.health();
        healthStatus = health.up() ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("backend", backend.name(), "detail", health.detail());
    }

    @Override
    protected String getName() {
        return "shareBackend";
    }
}
