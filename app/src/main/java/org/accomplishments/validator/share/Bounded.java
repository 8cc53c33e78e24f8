package org.accomplishments.validator.share;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a file operation inside a share with a time limit. An open() of a FIFO blocks until a writer appears and
 * Java offers no O_NONBLOCK; a stranger who swaps a FIFO in between our type check and our open could otherwise
 * park the calling thread for ever. Here only a pool thread is parked; the caller gets {@link BlockedReadException}
 * and the number of parked threads is capped.
 */
final class Bounded {
    static final Duration LIMIT = Duration.ofSeconds(10);
    private static final int MAX_STUCK = 16;
    private static final AtomicInteger STUCK = new AtomicInteger();
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "share-io-" + COUNT.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private Bounded() {
    }

    static <T> T call(Callable<T> operation, String what) throws IOException {
        if (STUCK.get() >= MAX_STUCK) {
            throw new BlockedReadException(MAX_STUCK + " reads inside shares are blocked; refusing more until they end");
        }
        // 0 running, 1 finished, 2 abandoned by the caller (counted in STUCK until it finishes after all)
        AtomicInteger state = new AtomicInteger();
        Future<T> future = POOL.submit(() -> {
            try {
                return operation.call();
            } finally {
                if (!state.compareAndSet(0, 1)) {
                    STUCK.decrementAndGet();
                }
            }
        });
        try {
            try {
                return future.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!state.compareAndSet(0, 2)) {
                    return future.get(); // it finished just now
                }
                STUCK.incrementAndGet();
                throw new BlockedReadException("reading " + what + " did not finish within " + LIMIT.toSeconds()
                        + " s (a FIFO or device swapped in?)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }
}
