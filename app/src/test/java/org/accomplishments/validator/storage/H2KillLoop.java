package org.accomplishments.validator.storage;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Kills {@link H2KillChild} with SIGKILL at random moments while it writes one transaction shape, reopens the file
 * each time (the next child: the service's URL, Flyway, then the index check) and counts the kills after which an
 * index disagreed with its table. After a failure the loop goes on with a new database, so each failure is counted
 * once.
 *
 * <p>Run by hand: {@code java -cp <test classpath> org.accomplishments.validator.storage.H2KillLoop <h2 version>
 * <shape> <kills> [url suffix]} (docs/benchmarks.md "H2 and kill -9").
 */
public final class H2KillLoop {

    /** What a loop saw. */
    public record Result(String h2, String shape, String urlSuffix, int kills, int failures, List<String> details,
                         long trophies) {
        @Override
        public String toString() {
            return "h2 " + h2 + " shape " + shape + (urlSuffix.isEmpty() ? "" : " url " + urlSuffix) + ": "
                    + failures + " broken after " + kills + " kills (" + trophies + " trophy rows in the last file)"
                    + details.stream().map(d -> "\n  " + d).collect(Collectors.joining());
        }
    }

    private final Path work;
    private final String h2Version;
    private final String classPath;
    private final long seed;

    public H2KillLoop(Path work, String h2Version, long seed) {
        this.work = work;
        this.h2Version = h2Version;
        this.classPath = classPathWith(h2Version);
        this.seed = seed;
    }

    public static void main(String[] args) throws Exception {
        String version = args[0];
        String shape = args[1];
        int kills = Integer.parseInt(args[2]);
        String suffix = args.length > 3 ? args[3] : "";
        Path work = Files.createTempDirectory("h2kill-");
        Result r = new H2KillLoop(work, version, System.nanoTime()).run(shape, kills, suffix, 100, 2000);
        System.out.println("RESULT " + r);
        deleteTree(work);
    }

    /** Kills after a random delay between {@code minDelayMs} and {@code maxDelayMs} from READY, {@code kills} times. */
    public Result run(String shape, int kills, String urlSuffix, int minDelayMs, int maxDelayMs)
            throws IOException, InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        int failures = 0;
        List<String> details = new ArrayList<>();
        int database = 0;
        Path db = work.resolve("db-" + database);
        long trophies = 0;
        for (int kill = 1; kill <= kills; kill++) {
            List<String> lines = child(db, shape, urlSuffix, random.nextLong(), true,
                    minDelayMs + random.nextInt(maxDelayMs - minDelayMs + 1));
            List<String> broken = brokenLines(lines);
            if (!broken.isEmpty()) {
                failures++;
                details.add("kill " + (kill - 1) + " of " + db.getFileName() + ": " + String.join(" | ", broken));
                System.err.println("h2 " + h2Version + " " + shape + ": " + details.get(details.size() - 1));
                deleteTree(db);
                db = work.resolve("db-" + ++database);
                kill--;  // the child that found it was not killed while writing: the kill is redone on a new file
                if (failures > kills) {
                    break;
                }
            }
        }
        List<String> last = child(db, "check", urlSuffix, 0, false, 0);
        List<String> broken = brokenLines(last);
        if (!broken.isEmpty()) {
            failures++;
            details.add("kill " + kills + " of " + db.getFileName() + ": " + String.join(" | ", broken));
        }
        for (String l : last) {
            if (l.startsWith("CHECK-OK ")) {
                trophies = Long.parseLong(l.split(" ")[1]);
            }
        }
        return new Result(h2Version, shape, urlSuffix, kills, failures, details, trophies);
    }

    private static List<String> brokenLines(List<String> lines) {
        List<String> broken = lines.stream().filter(l -> l.startsWith("BROKEN ") || l.startsWith("OPEN-FAILED "))
                .collect(Collectors.toList());
        if (broken.isEmpty() && lines.stream().noneMatch(l -> l.startsWith("CHECK-OK"))) {
            broken.add("the child said neither CHECK-OK nor BROKEN: " + lines);
        }
        return broken;
    }

    /** One child: reopen and check, then (if {@code kill}) write until killed {@code delayMs} after READY. */
    private List<String> child(Path db, String shape, String urlSuffix, long childSeed, boolean kill, int delayMs)
            throws IOException, InterruptedException {
        Files.createDirectories(db);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classPath,
                H2KillChild.class.getName(), db.toString(), kill ? shape : "check", urlSuffix,
                Long.toString(childSeed));
        pb.redirectError(work.resolve("child-stderr.log").toFile());
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.equals("READY")) {
                    Thread.sleep(delayMs);
                    p.destroyForcibly();  // SIGKILL on Linux
                    break;
                }
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("child did not end: " + lines);
        }
        return lines;
    }

    /** The H2 version on this JVM's class path (the pom's). */
    public static String currentH2Version() {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(e).getFileName().toString();
            if (name.matches("h2-\\d.*\\.jar")) {
                return name.substring(3, name.length() - 4);
            }
        }
        throw new IllegalStateException("no H2 jar on the class path");
    }

    /** The test class path with its H2 jar replaced by the given version's from the local Maven repository. */
    static String classPathWith(String version) {
        String cp = System.getProperty("java.class.path");
        if (version.equals(currentH2Version())) {
            return cp;
        }
        Path jar = Path.of(System.getProperty("user.home"), ".m2", "repository", "com", "h2database", "h2", version,
                "h2-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: mvn dependency:get -Dartifact=com.h2database:h2:"
                    + version);
        }
        List<String> entries = new ArrayList<>();
        boolean replaced = false;
        for (String e : cp.split(File.pathSeparator)) {
            if (Path.of(e).getFileName().toString().matches("h2-\\d.*\\.jar")) {
                entries.add(jar.toString());
                replaced = true;
            } else {
                entries.add(e);
            }
        }
        if (!replaced) {
            throw new IllegalStateException("no H2 jar on the class path " + cp);
        }
        return String.join(File.pathSeparator, entries);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(p);
            }
        }
    }
}
