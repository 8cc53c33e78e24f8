package org.accomplishments.validator.validation;

import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.accomplishments.validator.share.ShareRegistry;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A running service on a fresh data directory, a collection made for the scenario, and helpers to put a user's
 * share in place and wait for the server's verdict. Timers tick every second so nothing depends on events alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PipelineScenario implements TestPropertyProvider {
    protected static final String COLLECTION = "scn";

    protected final Path dataDir = tempDir("validator-data");
    protected final Path collections = dataDir.resolve("collections");
    protected final Path sharesRoot = dataDir.resolve("shares");

    @Inject
    protected TrophyInbox inbox;
    @Inject
    protected TrophyLedger ledger;
    @Inject
    protected ShareRegistry registry;

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("validator.data-dir", dataDir.toString());
        p.put("validator.collections.path", collections.toString());
        p.put("validator.shares.offer-interval", "1s");
        p.put("validator.shares.rescan-interval", "1s");
        p.put("validator.shares.debounce", "20ms");
        p.put("validator.validation.process-interval", "1s");
        p.put("validator.validation.script-timeout", "2s");
        p.put("validator.validation.script-output-cap", "4096");
        p.put("validator.validation.not-yet.initial-delay", "100ms");
        p.put("validator.validation.not-yet.max-delay", "200ms");
        p.put("validator.validation.not-yet.max-attempts", "3");
        p.put("validator.validation.errors.initial-delay", "100ms");
        p.put("validator.validation.errors.max-delay", "200ms");
        p.put("validator.validation.errors.max-attempts", "2");
        p.put("validator.validation.dependencies.initial-delay", "300ms");
        p.put("validator.validation.dependencies.max-delay", "300ms");
        p.put("validator.validation.dependencies.max-attempts", "4");
        p.put("validator.api.token", "test-token");
        p.put("micronaut.server.port", "-1");
        p.putAll(extraProperties());
        writeCollection();
        return p;
    }

    protected Map<String, String> extraProperties() {
        return Map.of();
    }

    /** The scenario's collection: override {@link #accomplishments()} to add to it. */
    private void writeCollection() {
        write(collections.resolve("accomplishments/" + COLLECTION + "/ABOUT"),
                "[general]\nname = Scenarios\nlangdefault = en\n");
        write(collections.resolve("accomplishments/" + COLLECTION + "/extrainformation/email"),
                "[label]\nen = E-mail\n\n[description]\nen = Your address\n\n[regex]\nvalue = ^[^@]+@[^@]+$\n");
        write(collections.resolve("accomplishments/" + COLLECTION + "/extrainformation/nick"),
                "[label]\nen = Nick\n\n[description]\nen = Your nick\n");
        accomplishments().forEach(this::accomplishment);
    }

    /** name → script body (null: no script) for global accomplishments needing 'email'. */
    protected abstract Map<String, String> accomplishments();

    protected void accomplishment(String name, String script) {
        accomplishment(name, script, "needs-signing = true\nneeds-information = email\n");
    }

    protected void accomplishment(String name, String script, String keys) {
        write(collections.resolve("accomplishments/" + COLLECTION + "/en/" + name + ".accomplishment"),
                "[accomplishment]\ntitle = " + name + "\ndescription = scenario " + name + "\n" + keys);
        if (script != null) {
            Path file = collections.resolve("scripts/" + COLLECTION + "/" + name + ".sh");
            write(file, script.startsWith("#!") ? script : "#!/bin/sh\n" + script + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    protected static void write(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    protected static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new user's share: {@code <name> (<owner>, <uuid>)} with {@code .extrainformation/email}. */
    protected Share newShare(String owner, String email) {
        String id = UUID.randomUUID().toString();
        Path folder = sharesRoot.resolve(owner + " Trophies Folder (" + owner + ", " + id + ")");
        if (email != null) {
            write(folder.resolve(".extrainformation/email"), email + "\n");
        } else {
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Share(id, owner, folder);
    }

    protected record Share(String id, String owner, Path folder) {
        public Path trophy(String name) {
            return folder.resolve(COLLECTION + "/" + name + ".trophy");
        }

        public Path asc(String name) {
            return folder.resolve(COLLECTION + "/" + name + ".trophy.asc");
        }

        public Path rejected(String name) {
            return folder.resolve(COLLECTION + "/" + name + ".trophy.rejected");
        }
    }

    protected static String trophyText(String name, String email) {
        return "[trophy]\nversion = 0.2\nid = " + COLLECTION + "/" + name + "\ndate-accomplished = 2026-11-21 10:00\n"
                + "needs-signing = true\nneeds-information = email\nemail = " + email + "\n";
    }

    protected void putTrophy(Share share, String name, String email) {
        write(share.trophy(name), trophyText(name, email));
    }

    /** Waits for the file to exist (and be complete: our writes are atomic). */
    protected String awaitFile(Path file, Duration timeout) {
        return await(() -> {
            try {
                return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.<String>empty();
            } catch (IOException e) {
                return Optional.<String>empty();
            }
        }, timeout, "no " + file.getFileName() + " in " + file.getParent());
    }

    protected <T> T await(Supplier<Optional<T>> probe, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("timed out after " + timeout + ": " + what);
        return null;
    }

    /** The rejection's reason, waiting for the file. */
    protected String awaitRejection(Share share, String name) {
        String text = awaitFile(share.rejected(name), Duration.ofSeconds(20));
        return text.lines().filter(l -> l.startsWith("reason = ")).map(l -> l.substring(9)).findFirst()
                .orElse("(no reason line) " + text);
    }

    protected Optional<TrophyRow> row(Share share, String name) {
        return ledger.current(share.id()).stream().filter(r -> r.path().equals(COLLECTION + "/" + name + ".trophy"))
                .findFirst();
    }

    protected TrophyState awaitState(Share share, String name, TrophyState state, Duration timeout) {
        return await(() -> row(share, name).map(TrophyRow::trophyState).filter(s -> s == state), timeout,
                name + " in state " + state + " (is " + row(share, name).map(TrophyRow::state).orElse("absent") + ")");
    }

    protected static Map<Path, byte[]> snapshotUserFiles(Path folder) throws IOException {
        Map<Path, byte[]> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                String n = p.getFileName().toString();
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !n.endsWith(".asc")
                        && !n.endsWith(".rejected")) {
                    files.put(folder.relativize(p), Files.readAllBytes(p));
                }
            }
        }
        return files;
    }
}
