package org.accomplishments.validator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * The cost of one script run, without the service: for each launch mechanism of JDK 17
 * ({@code -Djdk.lang.Process.launchMechanism=POSIX_SPAWN|VFORK|FORK}), a fresh JVM runs a trivial
 * {@code #!/bin/sh exit 0} script {@code RUNS} times on 2 threads, bare ({@code ProcessBuilder.start()} +
 * {@code waitFor()}: the baseline) and through {@code LogicScriptRunner} (the sandbox). Prints the rate and the CPU
 * per run (the JVM's plus the script's). Target: the runner at least 0.8x the bare rate of the same mechanism.
 */
class SpawnBenchmark {
    private static final int RUNS = Integer.getInteger("bench.spawn.runs", 2000);

    @Test
    void theSandboxCostsLittleMoreThanABareSpawnForEachLaunchMechanism() throws Exception {
        Bench.info("spawn", "start, " + Bench.load());
        for (String mechanism : List.of("POSIX_SPAWN", "VFORK", "FORK")) {
            double[] bare = probe(mechanism, "bare");
            double[] runner = probe(mechanism, "runner");
            Bench.info("spawn", String.format(Locale.ROOT, "%s: bare %.0f/s, %.2f ms CPU per run; runner %.0f/s, "
                    + "%.2f ms CPU per run", mechanism, bare[0], bare[1], runner[0], runner[1]));
            Bench.report("spawn " + mechanism + ", runner vs bare JVM spawn (2 threads)", runner[0], "runs/s",
                    bare[0], ">= 0.8x bare", runner[0] >= 0.8 * bare[0]);
            Bench.report("spawn " + mechanism + ", runner CPU per run", runner[1], "ms", bare[1], null, null);
        }
    }

    /** {rate per second, CPU ms per run}. */
    private static double[] probe(String mechanism, String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djdk.lang.Process.launchMechanism=" + mechanism);
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(Path.of("target/classes").toAbsolutePath() + ":" + Path.of("target/test-classes").toAbsolutePath());
        command.add("org.accomplishments.validator.validation.script.SpawnProbe");
        command.add(mode);
        command.add(Integer.toString(RUNS));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), mechanism + " " + mode + ": " + out);
        String line = out.lines().filter(l -> l.startsWith("SPAWN ")).findFirst()
                .orElseThrow(() -> new AssertionError("no SPAWN line: " + out));
        String[] f = line.split(" ");
        int runs = Integer.parseInt(f[2]);
        double seconds = Double.parseDouble(f[3]);
        double cpu = Double.parseDouble(f[4]);
        return new double[] {runs / seconds, cpu * 1000 / runs};
    }
}
