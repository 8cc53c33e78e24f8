package org.accomplishments.validator.validation.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the Python {@code accomplishments} stand-in package (shipped in this jar under {@code python/}) on disk,
 * where a script's {@code PYTHONPATH} can reach it.
 *
 * <p>The copy lives in a folder named after the digest of its contents, built next to it and renamed into place,
 * so a script starting meanwhile never sees half a package, installing twice is a no-op, an upgrade gets a new
 * folder, and a copy someone edited is noticed and replaced.
 */
public final class PythonStandIn {
    /** Resource names, relative to {@code python/}. A jar cannot be listed portably, so they are named here. */
    static final List<String> FILES = List.of(
            "accomplishments/__init__.py",
            "accomplishments/daemon/__init__.py",
            "accomplishments/daemon/dbusapi.py",
            "sitecustomize.py");
    private static final String PREFIX = "accomplishments-standin-";

    private PythonStandIn() {
    }

    /**
     * Installs the stand-in under {@code dir} (created if missing) and returns the folder to use as
     * {@code PYTHONPATH} ({@link ScriptSettings#pythonPath()}). Failing here is a deployment fault, hence an
     * exception at startup rather than an outcome.
     */
    public static Path install(Path dir) throws IOException {
        Map<String, byte[]> files = load();
        Files.createDirectories(dir);
        Path target = dir.resolve(PREFIX + digest(files));
        if (!matches(target, files)) {
            Path staging = Files.createTempDirectory(dir, ".standin-staging-");
            try {
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    Path p = staging.resolve(f.getKey());
                    Files.createDirectories(p.getParent());
                    Files.write(p, f.getValue());
                }
                if (Files.exists(target)) {
                    // Edited or half-deleted: move it out of the way in one step, then put the good copy in place.
                    Path stale = Files.createTempDirectory(dir, ".standin-stale-");
                    Files.move(target, stale.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
                }
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                    // Another installer won; fine if its copy is right.
                    if (!matches(target, files)) {
                        throw raced;
                    }
                } catch (AtomicMoveNotSupportedException impossible) {
                    throw new IOException("staging and target are in one folder; atomic rename must work", impossible);
                }
            } finally {
                LogicScriptRunner.deleteTree(staging);
            }
        }
        removeOthers(dir, target);
        return target;
    }

    private static void removeOthers(Path dir, Path keep) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                String name = e.getFileName().toString();
                boolean ours = name.startsWith(PREFIX) || name.startsWith(".standin-stale-");
                if (ours && !e.equals(keep)) {
                    LogicScriptRunner.deleteTree(e);
                }
            }
        }
    }

    private static boolean matches(Path target, Map<String, byte[]> files) {
        try {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path p = target.resolve(f.getKey());
                if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        || !Arrays.equals(Files.readAllBytes(p), f.getValue())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, byte[]> load() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : FILES) {
            try (InputStream in = PythonStandIn.class.getClassLoader().getResourceAsStream("python/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("resource python/" + name + " is missing from the build");
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static String digest(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                sha.update(f.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Long.toString(f.getValue().length).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(f.getValue());
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
