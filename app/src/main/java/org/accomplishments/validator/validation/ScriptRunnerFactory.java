package org.accomplishments.validator.validation;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.accomplishments.validator.validation.script.LogicScriptRunner;
import org.accomplishments.validator.validation.script.PythonStandIn;
import org.accomplishments.validator.validation.script.ScriptSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

@Factory
public class ScriptRunnerFactory {
    /** The JDK's property; read once, when its process class is first used. */
    static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

    static {
        // VFORK: no jspawnhelper exec per run. Measured (SpawnBenchmark, docs/benchmarks.md) 1.2 ms of CPU per bare
        // spawn instead of 2.0 ms with JDK 17's default POSIX_SPAWN, and 2.9 instead of 3.8 ms per sandboxed run.
        // An operator's -D setting wins. Only effective if nothing in this JVM started a process before.
        if (System.getProperty(LAUNCH_MECHANISM) == null) {
            System.setProperty(LAUNCH_MECHANISM, "VFORK");
        }
    }

    @Singleton
    LogicScriptRunner logicScriptRunner(@Value("${validator.data-dir}") Path dataDir, ValidationSettings settings) {
        try {
            Path home = dataDir.toAbsolutePath().normalize();
            Path work = Files.createDirectories(home.resolve("work"));
            Path python = PythonStandIn.install(home.resolve("python"));
            ScriptSettings defaults = ScriptSettings.defaults(work, python);
            return new LogicScriptRunner(defaults.withTimeout(settings.getScriptTimeout())
                    .withOutputCapBytes(settings.getScriptOutputCap())
                    .withMaxConcurrent(settings.getScriptConcurrency())
                    .withMemoryReserveBytes(Math.max(0, settings.scriptMemoryReserveBytes())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the logic-script directories under " + dataDir, e);
        }
    }
}
