package org.accomplishments.validator.share;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnknownShareBackendTest {
    @TempDir
    Path data;

    @Test
    void aMistypedBackendStopsTheStartWithASentenceNamingTheChoices() {
        RuntimeException failure = assertThrows(RuntimeException.class, () -> ApplicationContext.run(Map.of(
                "validator.data-dir", data.toString(), "micronaut.server.port", "-1",
                "validator.shares.backend", "sycndaemon")).close());

        String messages = "";
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages += t.getMessage() + "\n";
        }
        assertTrue(messages.contains("validator.shares.backend is 'sycndaemon'; it must be 'local'"), messages);
    }
}
