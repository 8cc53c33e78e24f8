package org.accomplishments.validator.schedule;

import io.micronaut.context.annotation.ConfigurationProperties;

/** {@code validator.cluster.*}: several nodes on one PostgreSQL database. */
@ConfigurationProperties("validator.cluster")
public interface ScheduleSettings {
    /** Whether other nodes share this database (Quartz clustering, leases left to expire instead of released). */
    boolean isEnabled();
}
