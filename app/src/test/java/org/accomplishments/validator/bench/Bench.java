package org.accomplishments.validator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Shared helpers of the benchmarks: printing figures in one greppable format, collections and shares on disk,
 * the machine's load. Benchmarks print what they measure; they fail only on functional errors.
 */
final class Bench {
    private Bench() {
    }

    /** {@code BENCH <name>: <value> <unit> (baseline <value>, ratio <x>) target <t>: PASS|MISS}. */
    static void report(String name, double value, String unit, Double baseline, String target, Boolean met) {
        StringBuilder line = new StringBuilder("BENCH ").append(name).append(": ").append(fmt(value)).append(' ')
                .append(unit);
        if (baseline != null) {
            line.append(" (baseline ").append(fmt(baseline)).append(", ratio ")
                    .append(baseline == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", value / baseline)).append(')');
        }
        if (target != null) {
            line.append(" target ").append(target).append(": ").append(met == null ? "n/a" : met ? "PASS" : "MISS");
        }
        System.out.println(line);
    }

    static void info(String name, String text) {
        System.out.println("BENCH " + name + ": " + text);
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    /** The 1-minute load average and the core count: other builds on this machine make figures noisy. */
    static String load() {
        try {
            String avg = Files.readString(Path.of("/proc/loadavg")).trim();
            return "loadavg " + avg.substring(0, avg.indexOf(' ', avg.indexOf(' ', avg.indexOf(' ') + 1) + 1))
                    + " on " + Runtime.getRuntime().availableProcessors() + " cores";
        } catch (IOException e) {
            return "loadavg unknown";
        }
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    // ---- collections ----

    /**
     * A collection root with one collection {@code name} of {@code count} global accomplishments
     * {@code <name>/t<i>}, each with the logic script {@code script} (run directly, so it needs its #! line).
     */
    static Path collection(Path root, String name, int count, String script) {
        try {
            Path accomplishments = root.resolve("accomplishments").resolve(name);
            Files.createDirectories(accomplishments.resolve("en"));
            Files.writeString(accomplishments.resolve("ABOUT"),
                    "[general]\nname = Benchmark " + name + "\nlangdefault = en\n");
            Path scripts = Files.createDirectories(root.resolve("scripts").resolve(name));
            for (int i = 0; i < count; i++) {
                Files.writeString(accomplishments.resolve("en").resolve("t" + i + ".accomplishment"),
                        "[accomplishment]\ntitle = Benchmark trophy " + i + "\ndescription = One of many\n"
                                + "collection = " + name + "\ncategory = Benchmark\nneeds-signing = true\n");
                Path s = scripts.resolve("t" + i + ".sh");
                Files.writeString(s, script);
                Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds {@code count} local accomplishments {@code <name>/local<i>} (needs-signing false) to a collection. */
    static void localAccomplishments(Path root, String name, int count) {
        try {
            Path en = root.resolve("accomplishments").resolve(name).resolve("en");
            for (int i = 0; i < count; i++) {
                Files.writeString(en.resolve("local" + i + ".accomplishment"),
                        "[accomplishment]\ntitle = Local " + i + "\ndescription = Never signed\ncollection = "
                                + name + "\ncategory = Benchmark\nneeds-signing = false\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String trophy(String collection, String name, boolean global) {
        return "[trophy]\nversion = 0.2\nid = " + collection + "/" + name
                + "\ndate-accomplished = 2026-11-21 19:02\nneeds-signing = " + global + "\n";
    }

    static String shareDirName(int i) {
        return String.format(Locale.ROOT, "bench-%05d (User %d, 00000000-0000-4000-8000-%012d)", i, i, i);
    }

    /**
     * Builds a share with {@code perShare} global trophies {@code <collection>/t<first..>.trophy} in
     * {@code staging} and moves it into {@code sharesRoot} with one atomic rename, the way a sync tool finishes a
     * download. Returns the share folder.
     */
    static Path dropShare(Path staging, Path sharesRoot, int index, String collection, int perShare) {
        try {
            String dirName = shareDirName(index);
            Path share = staging.resolve(dirName);
            Path coll = Files.createDirectories(share.resolve(collection));
            for (int t = 0; t < perShare; t++) {
                Files.writeString(coll.resolve("t" + t + ".trophy"), trophy(collection, "t" + t, true));
            }
            Path target = sharesRoot.resolve(dirName);
            Files.move(share, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts files under {@code root} (two levels below each share) whose name ends with {@code suffix}. */
    static int countFiles(Path sharesRoot, String suffix) {
        int n = 0;
        try (Stream<Path> shares = Files.list(sharesRoot)) {
            for (Path share : (Iterable<Path>) shares::iterator) {
                if (!Files.isDirectory(share)) {
                    continue;
                }
                try (Stream<Path> colls = Files.list(share)) {
                    for (Path coll : (Iterable<Path>) colls::iterator) {
                        if (!Files.isDirectory(coll)) {
                            continue;
                        }
                        String[] names = coll.toFile().list();
                        if (names != null) {
                            n += (int) Arrays.stream(names).filter(s -> s.endsWith(suffix)).count();
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            new ProcessBuilder("rm", "-rf", "--", root.toString()).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The repository root ({@code validator.repo}, set by the pom), absolute. */
    static Path repo() {
        return Path.of(System.getProperty("validator.repo", "..")).toAbsolutePath().normalize();
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("validator.jar", "target/accomplishments-validator.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the fat jar " + jar + " is missing: run mvn -Pbench verify");
        }
        return jar;
    }

    /** Copies a service log to {@code target/bench-logs/<name>.log}, where it outlives the temporary folders. */
    static void keepLog(ServiceProcess service, String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "bench-logs"));
            Files.copy(service.log(), dir.resolve(name + ".log"), StandardCopyOption.REPLACE_EXISTING);
            info(name, "service log kept in " + dir.resolve(name + ".log").toAbsolutePath());
        } catch (IOException e) {
            info(name, "could not keep the service log: " + e.getMessage());
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
