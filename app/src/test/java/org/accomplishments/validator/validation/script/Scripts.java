package org.accomplishments.validator.validation.script;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/** Test helpers: scripts written as real executable files, and a look at real processes. */
final class Scripts {
    private Scripts() {
    }

    static Path write(Path dir, String name, String content) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    static Path sh(Path dir, String body) throws IOException {
        return write(dir, "logic.sh", "#!/bin/sh\n" + body + "\n");
    }

    static ScriptInvocation invocation(Path script, Path trophy, Map<String, String> information) {
        return new ScriptInvocation(script, trophy, "ubuntu-community/report-first-bug",
                "0a1b2c3d-share", "alice", information);
    }

    /** Alive means: exists and is not a zombie (a zombie is dead, only waiting for its parent to reap it). */
    static boolean isLive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.ISO_8859_1);
            String state = stat.substring(stat.lastIndexOf(')') + 1).trim().substring(0, 1);
            return !state.equals("Z") && !state.equals("X");
        } catch (IOException e) {
            return false;
        }
    }

    static long readPid(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).trim());
    }

    static Optional<long[]> stat(String line) {
        return ProcessTreeKiller.parseStat(line);
    }
}
