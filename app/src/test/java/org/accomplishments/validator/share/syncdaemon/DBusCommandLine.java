package org.accomplishments.validator.share.syncdaemon;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The D-Bus command-line tools (dbus-send, busctl, dbus-monitor) run with argument lists, never through a shell,
 * each with a time limit; and readers for what they print. These check the fixture the way a person at a
 * terminal would, independently of dbus-java.
 */
final class DBusCommandLine {
    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(15);

    private DBusCommandLine() {
    }

    record Run(List<String> command, int exitCode, String stdout, String stderr) {
        Run requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("expected exit 0: " + this);
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " exited " + exitCode + "\n--- stdout ---\n" + stdout
                    + "\n--- stderr ---\n" + stderr;
        }
    }

    /** Runs a tool to completion (killed after {@link #TOOL_TIMEOUT}); stdout and stderr are captured. */
    static Run run(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        }
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            if (!process.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + TOOL_TIMEOUT.toSeconds() + " s");
            }
            return new Run(command, process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            process.destroyForcibly();
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** {@code dbus-send --bus=ADDR --print-reply --dest=com.ubuntuone.SyncDaemon PATH IFACE.MEMBER ARGS...} */
    static Run dbusSend(String address, String path, String interfaceAndMember, String... args) {
        List<String> command = new ArrayList<>(List.of("dbus-send", "--bus=" + address, "--print-reply",
                "--reply-timeout=10000", "--dest=" + TestSyncDaemon.BUS_NAME, path, interfaceAndMember));
        command.addAll(List.of(args));
        return run(command);
    }

    /** {@code busctl --address=ADDR --json=short call com.ubuntuone.SyncDaemon PATH IFACE MEMBER [SIG ARGS...]} */
    static Run busctlCall(String address, String path, String iface, String member, String... signatureAndArgs) {
        List<String> command = new ArrayList<>(List.of("busctl", "--address=" + address, "--json=short",
                "--timeout=10", "call", TestSyncDaemon.BUS_NAME, path, iface, member));
        command.addAll(List.of(signatureAndArgs));
        return run(command);
    }

    private static final Pattern STRING = Pattern.compile("^string \"(.*)\"$");

    /**
     * The string dicts ({@code a{ss}}) in a value printed by dbus-send or dbus-monitor, in order: every
     * {@code array [ ... ]} that directly holds {@code dict entry( string "k" string "v" )} lines is one dict, so
     * {@code aa{ss}} gives one map per element. An empty array gives no map (it cannot be told from an empty
     * {@code as}); see {@link #emptyArrays}. Strings are read up to the last quote on their line; the values
     * here never contain newlines.
     */
    static List<Map<String, String>> stringDicts(String printed) {
        List<Map<String, String>> dicts = new ArrayList<>();
        Deque<Map<String, String>> arrays = new ArrayDeque<>();
        List<String> entry = null;
        for (String raw : printed.split("\n")) {
            String line = raw.trim();
            if (line.equals("array [")) {
                arrays.push(new LinkedHashMap<>());
            } else if (line.equals("]")) {
                Map<String, String> done = arrays.pop();
                if (!done.isEmpty()) {
                    dicts.add(done);
                }
            } else if (line.equals("dict entry(")) {
                entry = new ArrayList<>();
            } else if (line.equals(")") && entry != null) {
                if (entry.size() != 2 || arrays.isEmpty()) {
                    throw new AssertionError("unexpected dict entry " + entry + " in:\n" + printed);
                }
                arrays.peek().put(entry.get(0), entry.get(1));
                entry = null;
            } else if (entry != null) {
                Matcher string = STRING.matcher(line);
                if (!string.matches()) {
                    throw new AssertionError("a dict entry that is not string to string: '" + line + "' in:\n"
                            + printed);
                }
                entry.add(string.group(1));
            }
        }
        return dicts;
    }

    /** How many empty arrays ({@code array [} directly followed by {@code ]}) a printed value holds. */
    static int emptyArrays(String printed) {
        return Pattern.compile("array \\[\\s*\\n\\s*]").matcher(printed).results().mapToInt(m -> 1).sum();
    }

    /** The top-level strings of a printed message body ({@code string "..."} lines not inside a container). */
    static List<String> topLevelStrings(String printed) {
        List<String> strings = new ArrayList<>();
        int depth = 0;
        for (String raw : printed.split("\n")) {
            String line = raw.trim();
            if (line.endsWith("[") || line.endsWith("(")) {
                depth++;
            } else if (line.equals("]") || line.equals(")")) {
                depth--;
            } else if (depth == 0) {
                Matcher string = STRING.matcher(line);
                if (string.matches()) {
                    strings.add(string.group(1));
                }
            }
        }
        return strings;
    }

    /** One message printed by dbus-monitor: its header line and its indented body. */
    record Message(String header, String body) {
        String field(String name) {
            Matcher m = Pattern.compile("(?:^| )" + Pattern.quote(name) + "=([^ ;]*)").matcher(header);
            return m.find() ? m.group(1) : null;
        }

        String member() {
            return field("member");
        }

        boolean isSignal(String path, String iface, String member) {
            return header.startsWith("signal ") && path.equals(field("path")) && iface.equals(field("interface"))
                    && member.equals(member());
        }
    }

    /**
     * {@code dbus-monitor --address ADDR RULE} writing to a file while a test acts. It is ready once it printed its
     * own {@code NameLost} (it gives up its name on becoming a monitor): anything emitted after
     * {@link #start} returned is captured.
     */
    static final class Monitor implements AutoCloseable {
        private final Process process;
        private final Path output;
        private final List<String> command;

        private Monitor(Process process, Path output, List<String> command) {
            this.process = process;
            this.output = output;
            this.command = command;
        }

        static Monitor start(String address, String matchRule, Path output) {
            List<String> command = List.of("dbus-monitor", "--address", address, matchRule);
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
            } catch (IOException e) {
                throw new AssertionError("cannot run " + command + ": " + e, e);
            }
            Monitor monitor = new Monitor(process, output, command);
            try {
                monitor.await("its NameLost (the sign it is monitoring)", messages -> messages.stream()
                        .anyMatch(m -> "NameLost".equals(m.member())), Duration.ofSeconds(10));
            } catch (RuntimeException | Error e) {
                monitor.close();
                throw e;
            }
            return monitor;
        }

        /** Everything printed so far, split into messages. */
        List<Message> messages() {
            String text;
            try {
                text = Files.readString(output, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<Message> messages = new ArrayList<>();
            String header = null;
            StringBuilder body = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                    if (header != null) {
                        messages.add(new Message(header, body.toString()));
                    }
                    header = line;
                    body.setLength(0);
                } else if (header != null) {
                    body.append(line).append('\n');
                }
            }
            // The last message may be caught half-written; await() conditions test the content they need, so
            // the next poll sees it whole.
            if (header != null) {
                messages.add(new Message(header, body.toString()));
            }
            return messages;
        }

        /** Waits (bounded) until the captured messages satisfy {@code condition}; returns them. */
        List<Message> await(String what, Predicate<List<Message>> condition, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<Message> messages = messages();
                if (condition.test(messages)) {
                    return messages;
                }
                if (!process.isAlive()) {
                    throw new AssertionError(command + " exited with " + process.exitValue() + " while waiting for "
                            + what + "; it printed:\n" + text());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("dbus-monitor did not show " + what + " within " + timeout.toMillis()
                            + " ms; it printed:\n" + text());
                }
                TestBus.sleep(10);
            }
        }

        String text() {
            try {
                return Files.readString(output, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
