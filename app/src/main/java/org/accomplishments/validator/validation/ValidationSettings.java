package org.accomplishments.validator.validation;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** {@code validator.validation.*}. Defaults (and their documentation) in application.yml. */
@ConfigurationProperties("validator.validation")
public class ValidationSettings {
    private Duration processInterval = Duration.ofSeconds(15);
    private int workers = 0;
    private Duration scriptTimeout = Duration.ofSeconds(60);
    private int scriptOutputCap = 65536;
    private int scriptConcurrency = 64;
    private String scriptMemoryReserve = "256MB";
    private NotYet notYet = new NotYet();
    private Errors errors = new Errors();
    private Dependencies dependencies = new Dependencies();

    public Duration getProcessInterval() {
        return processInterval;
    }

    public void setProcessInterval(Duration processInterval) {
        this.processInterval = processInterval;
    }

    public int getWorkers() {
        return workers;
    }

    public void setWorkers(int workers) {
        this.workers = workers;
    }

    /**
     * Trophies worked on at once: {@code workers}, or when 0 (the default) enough that the script runner's
     * adaptive limit is never starved: its ceiling plus the cores (threads that sign, write and read the ledger).
     */
    public int effectiveWorkers() {
        if (workers > 0) {
            return workers;
        }
        return Math.max(1, scriptConcurrency) + Runtime.getRuntime().availableProcessors();
    }

    public String getScriptMemoryReserve() {
        return scriptMemoryReserve;
    }

    /** {@code script-memory-reserve} in bytes (a size such as 256MB; 0 turns the memory signal off). */
    public long scriptMemoryReserveBytes() {
        return org.accomplishments.validator.storage.ByteSize.parse(scriptMemoryReserve);
    }

    public void setScriptMemoryReserve(String scriptMemoryReserve) {
        this.scriptMemoryReserve = scriptMemoryReserve;
    }

    public Duration getScriptTimeout() {
        return scriptTimeout;
    }

    public void setScriptTimeout(Duration scriptTimeout) {
        this.scriptTimeout = scriptTimeout;
    }

    public int getScriptOutputCap() {
        return scriptOutputCap;
    }

    public void setScriptOutputCap(int scriptOutputCap) {
        this.scriptOutputCap = scriptOutputCap;
    }

    public int getScriptConcurrency() {
        return scriptConcurrency;
    }

    public void setScriptConcurrency(int scriptConcurrency) {
        this.scriptConcurrency = scriptConcurrency;
    }

    public NotYet getNotYet() {
        return notYet;
    }

    public void setNotYet(NotYet notYet) {
        this.notYet = notYet;
    }

    public Errors getErrors() {
        return errors;
    }

    public void setErrors(Errors errors) {
        this.errors = errors;
    }

    public Dependencies getDependencies() {
        return dependencies;
    }

    public void setDependencies(Dependencies dependencies) {
        this.dependencies = dependencies;
    }

    /** Exponential backoff: initial-delay × multiplier^(n-1), at most max-delay, given up after max-attempts. */
    public abstract static class Backoff {
        private Duration initialDelay;
        private double multiplier = 2;
        private Duration maxDelay;
        private int maxAttempts;

        Backoff(Duration initialDelay, Duration maxDelay, int maxAttempts) {
            this.initialDelay = initialDelay;
            this.maxDelay = maxDelay;
            this.maxAttempts = maxAttempts;
        }

        public RetryPolicy policy() {
            return new RetryPolicy(initialDelay, multiplier, maxDelay, maxAttempts);
        }

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }
    }

    @ConfigurationProperties("not-yet")
    public static class NotYet extends Backoff {
        public NotYet() {
            super(Duration.ofMinutes(10), Duration.ofDays(1), 12);
        }
    }

    @ConfigurationProperties("errors")
    public static class Errors extends Backoff {
        public Errors() {
            super(Duration.ofMinutes(1), Duration.ofHours(6), 8);
        }
    }

    @ConfigurationProperties("dependencies")
    public static class Dependencies extends Backoff {
        public Dependencies() {
            super(Duration.ofMinutes(10), Duration.ofDays(1), 20);
        }
    }
}
