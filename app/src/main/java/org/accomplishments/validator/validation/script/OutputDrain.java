package org.accomplishments.validator.validation.script;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a run's stdout and stderr pipes without a thread of its own and without ever blocking: only what
 * {@link InputStream#available()} (FIONREAD on a pipe) reports is read. The caller, the thread that waits for the
 * script anyway, calls {@link #drainAvailable()} whenever it wakes.
 *
 * <p>Why no blocking read: a process that left the run's group and kept a copy of the pipe (a daemon) would hold
 * the reader forever; with only non-blocking reads the run ends when the tree is dead, whatever holds a pipe.
 */
final class OutputDrain implements AutoCloseable {
    /** Pause between two drains while output flows: a 64 KiB pipe buffer then moves at up to 64 MB/s. */
    static final long MIN_PAUSE_NANOS = 1_000_000;
    /** Pause while nothing flows: a quiet script costs a few wake-ups a second. */
    static final long MAX_PAUSE_NANOS = 50_000_000;
    private static final int CHUNK = 64 * 1024;

    private final InputStream out;
    private final TailBuffer outTail;
    private final InputStream err;
    private final TailBuffer errTail;
    private final byte[] buffer = new byte[CHUNK];

    OutputDrain(InputStream out, TailBuffer outTail, InputStream err, TailBuffer errTail) {
        this.out = out;
        this.outTail = outTail;
        this.err = err;
        this.errTail = errTail;
    }

    /** Moves what both pipes hold now into their tails; true when anything was read. */
    boolean drainAvailable() {
        boolean outMoved = drain(out, outTail);
        boolean errMoved = drain(err, errTail);
        return outMoved || errMoved;
    }

    private boolean drain(InputStream in, TailBuffer into) {
        boolean moved = false;
        try {
            int ready;
            // Bounded: a writer faster than us cannot keep this loop (and the time-limit check) from ending.
            for (int round = 0; round < 64 && (ready = in.available()) > 0; round++) {
                int n = in.read(buffer, 0, Math.min(ready, buffer.length));
                if (n <= 0) {
                    break;
                }
                into.write(buffer, 0, n);
                moved = true;
            }
        } catch (IOException closed) {
            // The stream was closed under us (the JDK closes it once the script is reaped); what we have is all.
        }
        return moved;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing left to lose
        }
        try {
            err.close();
        } catch (IOException ignored) {
            // nothing left to lose
        }
    }
}
