package org.accomplishments.validator.validation.script;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything one run produced.
 *
 * @param outcome             how it ended
 * @param stdout              the last {@code outputCapBytes} of standard output, decoded as UTF-8 with replacement
 * @param stderr              the same for standard error
 * @param stdoutDroppedBytes  bytes of standard output that were read and thrown away to keep only the tail
 * @param stderrDroppedBytes  the same for standard error
 * @param elapsed             from start to end of the script (not counting the wait for a slot)
 * @param strayProcessesKilled processes other than the script itself that were killed when the run ended: its
 *                            running children at a timeout, or what it left behind (background jobs, daemons) after
 *                            a normal exit; non-zero after a normal exit is worth a warning to the collection's author
 */
public record ScriptRun(
        ScriptOutcome outcome,
        String stdout,
        String stderr,
        long stdoutDroppedBytes,
        long stderrDroppedBytes,
        Duration elapsed,
        int strayProcessesKilled) {

    public ScriptRun {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    static ScriptRun notStarted(String reason) {
        return new ScriptRun(new ScriptOutcome.NotStarted(reason), "", "", 0, 0, Duration.ZERO, 0);
    }

    public ScriptAnswer answer() {
        return outcome.answer();
    }

    public String describe() {
        return outcome.describe();
    }
}
