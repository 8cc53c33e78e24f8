package org.accomplishments.validator.validation.script;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How many scripts may run at once, adapted to what the scripts do, between one more than the machine's core count and the
 * configured ceiling ({@link ScriptSettings#maxConcurrent()}).
 *
 * <p>The measure is the CPU one run costs per second of its life: the CPU of this JVM plus that of the children
 * it reaped ({@code /proc/self/stat} utime, stime, cutime, cstime), divided by the summed running time of the
 * runs that ended in the same window. A script that waits on a web API costs ~1 % of a core while it runs, so
 * keeping the cores busy takes ~100 in flight; a CPU-bound script costs a whole core, so a few more than the cores
 * is enough. The limit moves towards {@code cores / busy-fraction} (with headroom) at most doubling per step,
 * and never rises while this process and its scripts already use nearly every core, or while the machine's
 * available memory is below the reserve. It is this process's own use, not the machine's, so a neighbour's
 * load does not make it shrink.
 *
 * <p>Waiters are served in arrival order (a fair semaphore); lowering the limit lets runs in flight finish.
 */
final class AdaptiveLimit {
    /** Shortest window the busy fraction is measured over; /proc clock ticks are 10 ms. */
    static final long WINDOW_NANOS = 250_000_000L;
    /** In-flight runs per core that a fully measured busy fraction asks for beyond the core count. */
    private static final double HEADROOM = 1.5;
    /** Above this share of all cores in use by us, the limit does not rise. */
    private static final double SATURATED = 0.9;
    private static final Path SELF_STAT = Path.of("/proc/self/stat");
    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ is 100 on every Linux ABI the JDK supports

    private final Gate gate;
    private final int floor;
    private final int ceiling;
    private final int cores;
    private final long memoryReserveBytes;
    private final LongSupplier clock;
    private final Object lock = new Object();
    private int limit;
    private int inUse;
    private int waiting;
    private long windowStart;
    private long windowCpuTicks;
    private long windowRunNanos;

    AdaptiveLimit(int ceiling, long memoryReserveBytes) {
        this(ceiling, Runtime.getRuntime().availableProcessors(), memoryReserveBytes, System::nanoTime);
    }

    AdaptiveLimit(int ceiling, int cores, long memoryReserveBytes, LongSupplier clock) {
        this.ceiling = ceiling;
        this.cores = Math.max(1, cores);
        // One more than the cores: while one run is being spawned or reaped the cores still have a script each.
        this.floor = Math.min(ceiling, this.cores + 1);
        this.memoryReserveBytes = memoryReserveBytes;
        this.clock = clock;
        this.limit = floor;
        this.gate = new Gate(floor);
        this.windowStart = clock.getAsLong();
        this.windowCpuTicks = cpuTicks().orElse(0L);
    }

    /**
     * Blocks until a run may start; a caller that has to wait first re-evaluates the limit. One untimed wait in
     * the fair queue, so waiters keep their arrival order (a timed wait that expired would rejoin at the tail).
     */
    void acquire() throws InterruptedException {
        synchronized (lock) {
            waiting++;
        }
        try {
            // tryAcquire with a timeout, even 0, honours the fair queue; the untimed tryAcquire() would barge.
            if (!gate.tryAcquire(0, TimeUnit.NANOSECONDS)) {
                adjust();
                gate.acquire();
            }
        } finally {
            synchronized (lock) {
                waiting--;
            }
        }
        synchronized (lock) {
            inUse++;
        }
    }

    /** Ends a run that lasted {@code runNanos}. */
    void release(long runNanos) {
        synchronized (lock) {
            inUse--;
            windowRunNanos += Math.max(0, runNanos);
        }
        gate.release();
        adjust();
    }

    int limit() {
        synchronized (lock) {
            return limit;
        }
    }

    int ceiling() {
        return ceiling;
    }

    private void adjust() {
        int raise = 0;
        int lower = 0;
        synchronized (lock) {
            long now = clock.getAsLong();
            long span = now - windowStart;
            if (span < WINDOW_NANOS || floor == ceiling) {
                return;
            }
            Optional<Long> ticks = cpuTicks();
            long cpuNanos = ticks.map(t -> (t - windowCpuTicks) * TICK_NANOS).orElse(0L);
            long runNanos = windowRunNanos;
            windowStart = now;
            windowCpuTicks = ticks.orElse(windowCpuTicks);
            windowRunNanos = 0;
            int target = limit;
            boolean memoryShort = memoryShort();
            if (memoryShort) {
                target = Math.max(floor, limit - Math.max(1, limit / 4));
            } else if (runNanos > 0 && ticks.isPresent()) {
                double busy = Math.max(cpuNanos, TICK_NANOS) / (double) runNanos;
                int wanted = (int) Math.min(ceiling, Math.ceil(cores * HEADROOM / busy));
                boolean saturated = cpuNanos >= SATURATED * cores * span;
                boolean demand = waiting > 0 || inUse >= limit;
                if (wanted > limit && demand && !saturated) {
                    target = Math.min(wanted, limit * 2);
                } else if (wanted < limit) {
                    // Down gently: one noisy window must not halve a limit that was right.
                    target = Math.max(wanted, limit - Math.max(1, limit / 4));
                }
            }
            target = Math.max(floor, Math.min(ceiling, target));
            if (target > limit) {
                raise = target - limit;
            } else {
                lower = limit - target;
            }
            limit = target;
        }
        if (raise > 0) {
            gate.release(raise);
        } else if (lower > 0) {
            gate.shrink(lower);
        }
    }

    private boolean memoryShort() {
        if (memoryReserveBytes <= 0) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(MEMINFO, StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemAvailable:")) {
                    String[] f = line.trim().split("\\s+");
                    return Long.parseLong(f[1]) * 1024 < memoryReserveBytes;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no memory signal
        }
        return false;
    }

    /** This JVM's CPU plus that of the children it waited for (the scripts), in clock ticks. */
    static Optional<Long> cpuTicks() {
        try {
            String stat = Files.readString(SELF_STAT, StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14-17 of proc(5) are utime stime cutime cstime; f[0] is field 3 (state).
            return Optional.of(Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13])
                    + Long.parseLong(f[14]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A fair semaphore whose permits can also be taken away. */
    private static final class Gate extends Semaphore {
        Gate(int permits) {
            super(permits, true);
        }

        void shrink(int by) {
            reducePermits(by);
        }
    }
}
