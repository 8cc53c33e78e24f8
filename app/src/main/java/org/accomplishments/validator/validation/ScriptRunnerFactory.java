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
