package org.accomplishments.validator.validation.script;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The spawn micro-benchmark's child JVM (started once per {@code jdk.lang.Process.launchMechanism} by
 * {@code SpawnBenchmark}, because the mechanism is fixed when the JDK's process class is loaded). Runs a trivial
 * {@code #!/bin/sh exit 0} script {@code runs} times on 2 threads, either bare ({@code ProcessBuilder.start()} and
 * {@code waitFor()}, the best a JVM can do) or through {@link LogicScriptRunner} (setsid, scrubbed environment,
 * private directory, tree kill), and prints one line: {@code SPAWN <mode> <runs> <seconds> <cpu seconds>}, the CPU
 * being this JVM's plus its reaped children's.
 */
public final class SpawnProbe {
    private SpawnProbe() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int runs = Integer.parseInt(args[1]);
        Path dir = Files.createTempDirectory("spawn-probe");
        Path script = dir.resolve("trivial.sh");
        Files.writeString(script, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path trophy = dir.resolve("t.trophy");
        Files.writeString(trophy, "[trophy]\n");
        LogicScriptRunner runner = new LogicScriptRunner(ScriptSettings.defaults(dir.resolve("work"),
                dir.resolve("python")).withMaxConcurrent(2));
        ScriptInvocation invocation = new ScriptInvocation(script, trophy, "bench/t", "share", "alice", Map.of());
        Runnable once = switch (mode) {
            case "bare" -> () -> {
                try {
                    Process p = new ProcessBuilder(script.toString()).start();
                    if (p.waitFor() != 0) {
                        throw new IllegalStateException("exit " + p.exitValue());
                    }
                    p.getInputStream().close();
                    p.getErrorStream().close();
                    p.getOutputStream().close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            case "runner" -> () -> {
                ScriptRun run = runner.run(invocation);
                if (!(run.outcome() instanceof ScriptOutcome.Exited exited) || exited.code() != 0) {
                    throw new IllegalStateException(run.describe());
                }
            };
            default -> throw new IllegalArgumentException(mode);
        };
        for (int i = 0; i < Math.min(200, runs); i++) {
            once.run(); // warm-up: class loading, JIT, the setsid probe
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger left = new AtomicInteger(runs);
        long cpu0 = AdaptiveLimit.cpuTicks().orElse(0L);
        long t0 = System.nanoTime();
        for (int t = 0; t < 2; t++) {
            pool.execute(() -> {
                while (left.getAndDecrement() > 0) {
                    once.run();
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("spawn probe did not finish");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (AdaptiveLimit.cpuTicks().orElse(0L) - cpu0) / 100.0;
        System.out.println(String.format(Locale.ROOT, "SPAWN %s %d %.4f %.3f", mode, runs, seconds, cpu));
        LogicScriptRunner.deleteTree(dir);
    }
}
