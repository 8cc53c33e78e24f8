package org.accomplishments.validator.validation.script;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** How a script run ended, as a value: every ending is expected, none is an exception. */
public sealed interface ScriptOutcome {

    /** The answer per formats.md section 3. */
    ScriptAnswer answer();

    /** One short human line for logs and {@code .trophy.rejected} details. */
    String describe();

    /** The script ran and exited with this code. */
    record Exited(int code) implements ScriptOutcome {
        @Override
        public ScriptAnswer answer() {
            return switch (code) {
                case 0 -> ScriptAnswer.ACCOMPLISHED;
                case 1 -> ScriptAnswer.NOT_ACCOMPLISHED;
                case 4 -> ScriptAnswer.MISSING_INFORMATION;
                default -> ScriptAnswer.ERROR;
            };
        }

        @Override
        public String describe() {
            return "exit code " + code;
        }
    }

    /**
     * The script was ended by a signal it did not handle (a crash, or someone else killing it).
     *
     * <p>Java only reports {@code 128 + n} for a process killed by signal {@code n}, exactly what a script that
     * calls {@code exit 139} reports. We read every code from 129 to 192 as a signal: shells use the same
     * convention, no documented logic-script code lies there, and either way the answer is {@link ScriptAnswer#ERROR}.
     */
    record KilledBySignal(int signal) implements ScriptOutcome {
        private static final Map<Integer, String> NAMES = Map.ofEntries(
                Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
                Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"),
                Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"), Map.entry(11, "SIGSEGV"),
                Map.entry(12, "SIGUSR2"), Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"),
                Map.entry(15, "SIGTERM"), Map.entry(24, "SIGXCPU"), Map.entry(25, "SIGXFSZ"));

        @Override
        public ScriptAnswer answer() {
            return ScriptAnswer.ERROR;
        }

        @Override
        public String describe() {
            String name = NAMES.get(signal);
            return "killed by signal " + signal + (name == null ? "" : " (" + name + ")");
        }
    }

    /** The script ran past the limit; it and everything it started were killed. */
    record TimedOut(Duration limit) implements ScriptOutcome {
        public TimedOut {
            Objects.requireNonNull(limit, "limit");
        }

        @Override
        public ScriptAnswer answer() {
            return ScriptAnswer.ERROR;
        }

        @Override
        public String describe() {
            return "timed out after " + human(limit);
        }

        private static String human(Duration d) {
            if (d.toMillis() % 1000 == 0) {
                return d.toSeconds() + " s";
            }
            return d.toMillis() + " ms";
        }
    }

    /**
     * The script was never started: missing, not executable, not a format the kernel can execute, or its
     * inputs could not be passed safely (e.g. a value containing NUL).
     */
    record NotStarted(String reason) implements ScriptOutcome {
        public NotStarted {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public ScriptAnswer answer() {
            return ScriptAnswer.ERROR;
        }

        @Override
        public String describe() {
            return "not started: " + reason;
        }
    }

    /**
     * The calling thread was interrupted (typically the service shutting down) while waiting for a slot or for
     * the script; anything already started was killed. Not the script's fault, so worth retrying.
     */
    record Cancelled(String reason) implements ScriptOutcome {
        public Cancelled {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public ScriptAnswer answer() {
            return ScriptAnswer.ERROR;
        }

        @Override
        public String describe() {
            return "cancelled: " + reason;
        }
    }
}
