package org.accomplishments.validator.validation.script;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How logic scripts are run. Plain values; the lead's factory fills them from configuration.
 *
 * @param timeout        wall-clock limit for one script run, from start to exit (waiting for a slot is not counted)
 * @param outputCapBytes how many bytes of each stream (stdout, stderr) are kept; the tail is kept because errors
 *                       and tracebacks come last
 * @param maxConcurrent  the most scripts that may run at once; the runner adapts how many do between the core count
 *                       and this ceiling (see {@link AdaptiveLimit}): many for scripts that wait on a web API, about
 *                       the core count for CPU-bound ones
 * @param workRoot       parent of the per-run working directories (created if missing); each run gets a fresh,
 *                       private directory that is deleted afterwards
 * @param pythonPath     directory holding the {@code accomplishments} stand-in package (see {@link PythonStandIn})
 * @param searchPath     the PATH the script sees; never the service's own
 * @param locale         LANG and LC_ALL for the script, so tools print UTF-8 and parse predictably
 * @param memoryReserveBytes the in-flight limit does not rise, and is lowered, while the machine's available memory
 *                       (MemAvailable) is below this; 0: no memory signal
 */
public record ScriptSettings(
        Duration timeout,
        int outputCapBytes,
        int maxConcurrent,
        Path workRoot,
        Path pythonPath,
        String searchPath,
        String locale,
        long memoryReserveBytes) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_OUTPUT_CAP_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_CONCURRENT = 64;
    public static final long DEFAULT_MEMORY_RESERVE_BYTES = 256L * 1024 * 1024;
    public static final String DEFAULT_SEARCH_PATH = "/usr/local/bin:/usr/bin:/bin";
    public static final String DEFAULT_LOCALE = "C.UTF-8";

    public ScriptSettings {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(workRoot, "workRoot");
        Objects.requireNonNull(pythonPath, "pythonPath");
        Objects.requireNonNull(searchPath, "searchPath");
        Objects.requireNonNull(locale, "locale");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (outputCapBytes < 0) {
            throw new IllegalArgumentException("outputCapBytes must not be negative: " + outputCapBytes);
        }
        if (memoryReserveBytes < 0) {
            throw new IllegalArgumentException("memoryReserveBytes must not be negative: " + memoryReserveBytes);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1: " + maxConcurrent);
        }
        // Relative paths would depend on the service's working directory, which systemd and tests set differently.
        if (!workRoot.isAbsolute() || !pythonPath.isAbsolute()) {
            throw new IllegalArgumentException("workRoot and pythonPath must be absolute");
        }
    }

    /** The documented defaults; only the two directories have no sensible default. */
    public static ScriptSettings defaults(Path workRoot, Path pythonPath) {
        return new ScriptSettings(DEFAULT_TIMEOUT, DEFAULT_OUTPUT_CAP_BYTES, DEFAULT_MAX_CONCURRENT,
                workRoot, pythonPath, DEFAULT_SEARCH_PATH, DEFAULT_LOCALE, DEFAULT_MEMORY_RESERVE_BYTES);
    }

    public ScriptSettings withTimeout(Duration newTimeout) {
        return new ScriptSettings(newTimeout, outputCapBytes, maxConcurrent, workRoot, pythonPath, searchPath, locale,
                memoryReserveBytes);
    }

    public ScriptSettings withOutputCapBytes(int newCap) {
        return new ScriptSettings(timeout, newCap, maxConcurrent, workRoot, pythonPath, searchPath, locale,
                memoryReserveBytes);
    }

    public ScriptSettings withMaxConcurrent(int newMax) {
        return new ScriptSettings(timeout, outputCapBytes, newMax, workRoot, pythonPath, searchPath, locale,
                memoryReserveBytes);
    }

    public ScriptSettings withMemoryReserveBytes(long newReserve) {
        return new ScriptSettings(timeout, outputCapBytes, maxConcurrent, workRoot, pythonPath, searchPath, locale,
                newReserve);
    }
}
