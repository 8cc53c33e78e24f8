package org.accomplishments.validator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.accomplishments.validator.collection.store.TestRepository;
import org.accomplishments.validator.collection.store.TestRepository.Content;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged jar as store and appliance at once: a release submitted over the API, installed with the
 * {@code collections} CLI beside the running service on the same data directory (no database lock needed) and
 * picked up by it; then an install of the next release killed with SIGKILL half-way leaves the old version working,
 * and the next install completes and clears what the killed one left.
 */
class CollectionStoreIT {
    @TempDir
    Path temp;

    List<String> cli(Path dataDir, String... args) {
        List<String> command = new ArrayList<>(List.of(ValidatorProcess.javaExecutable(),
                "-Dvalidator.data-dir=" + dataDir, "-jar", ValidatorProcess.jar().toString(), "collections"));
        command.addAll(List.of(args));
        return command;
    }

    long accomplishments(ValidatorProcess service) throws Exception {
        return service.getJson("/api/status").path("collections").path("accomplishments").asLong();
    }

    @Test
    void theCliInstallsBesideTheServiceAndAKilledInstallLeavesTheOldVersion() throws Exception {
        Path data = temp.resolve("data");
        Files.createDirectories(data);
        try (ValidatorProcess service = ValidatorProcess.start(data, Map.of("validator.store.pick-up-interval", "1s"),
                temp.resolve("service.log")); TestRepository repo = new TestRepository(temp.resolve("author"))) {
            service.awaitServing(Duration.ofSeconds(120));
            repo.commit("main", TestRepository.exampleCollection("1.0.0"));
            HttpResponse<String> submitted = service.postJson("/api/store/submissions", ValidatorProcess.TOKEN,
                    "{\"source\": \"" + repo.url() + "\", \"ref\": \"main\"}");
            assertEquals(201, submitted.statusCode(), submitted.body());
            Path key = temp.resolve("store-key.asc");
            Files.writeString(key, service.getText("/api/keys/current"), StandardCharsets.US_ASCII);
            String index = "http://127.0.0.1:" + service.port() + "/api/store/index";
            long before = accomplishments(service);

            Commands.Run installed = Commands.run(cli(data, "install", "example@1.0.0", "--index", index, "--key",
                    key.toString()), Map.of(), null);
            assertEquals(0, installed.exitCode(), installed.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (accomplishments(service) != before + 1) {
                if (System.nanoTime() > deadline) {
                    fail("the service did not pick up the installed collection\n" + service.logTail());
                }
                Thread.sleep(100);
            }
            Commands.Run search = Commands.run(cli(data, "search", "example", "--index", index), Map.of(), null);
            assertTrue(search.exitCode() == 0 && search.stdout().contains("example  1.0.0"), search.toString());

            // 2.0.0 is large enough (4,000 images) that the install can be caught while it writes its staging tree.
            Map<String, Content> big = TestRepository.exampleCollection("2.0.0");
            byte[] image = new byte[4096];
            for (int i = 0; i < 4000; i++) {
                image[0] = (byte) i;
                image[1] = (byte) (i >> 8);
                big.put("accomplishments/example/trophyimages/image-" + i + ".png",
                        new Content(image.clone(), org.eclipse.jgit.lib.FileMode.REGULAR_FILE));
            }
            repo.commit("main", big);
            submitted = service.postJson("/api/store/submissions", ValidatorProcess.TOKEN,
                    "{\"source\": \"" + repo.url() + "\", \"ref\": \"main\"}");
            assertEquals(201, submitted.statusCode(), submitted.body());
            Path link = data.resolve("collections/example");
            Path oldTarget = Files.readSymbolicLink(link);

            Process install = new ProcessBuilder(cli(data, "install", "example@2.0.0", "--index", index, "--key",
                    key.toString())).redirectErrorStream(true).redirectOutput(temp.resolve("killed-install.log").toFile())
                    .start();
            Path store = data.resolve("collections/.store");
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            boolean caught = false;
            while (!caught && install.isAlive() && System.nanoTime() < deadline) {
                try (var staged = Files.newDirectoryStream(store, ".staging-*")) {
                    for (Path s : staged) {
                        caught |= Files.isDirectory(s.resolve("tree/accomplishments/example/trophyimages"));
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // a folder appeared or vanished while walking: look again
                }
                if (!caught) {
                    Thread.sleep(2);
                }
            }
            assertTrue(caught, "never saw the install writing its staging tree: "
                    + Files.readString(temp.resolve("killed-install.log")));
            install.destroyForcibly();
            assertTrue(install.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, install.exitValue());

            assertEquals(oldTarget, Files.readSymbolicLink(link), "the old version is still the installed one");
            Commands.Run list = Commands.run(cli(data, "list"), Map.of(), null);
            assertTrue(list.stdout().contains("example  1.0.0"), list.toString());
            assertEquals(before + 1, accomplishments(service));
            assertTrue(!service.getJson("/api/status").path("collections").path("problems").toString()
                    .contains("collections/example"), service.getText("/api/status"));

            Commands.Run again = Commands.run(cli(data, "install", "example@2.0.0", "--index", index, "--key",
                    key.toString()), Map.of(), null);
            assertEquals(0, again.exitCode(), again.toString());
            assertTrue(Files.readString(link.resolve("accomplishments-collection.json")).contains("2.0.0"));
            try (Stream<Path> left = Files.list(store)) {
                List<String> names = left.map(p -> p.getFileName().toString()).toList();
                assertTrue(names.stream().noneMatch(n -> n.startsWith(".staging-")),
                        "the killed install's staging folder is gone: " + names);
                assertTrue(names.contains(Files.readSymbolicLink(link).getFileName().toString()), names.toString());
            }
            Commands.Run removed = Commands.run(cli(data, "remove", "example"), Map.of(), null);
            assertEquals(0, removed.exitCode(), removed.toString());
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (accomplishments(service) != before) {
                if (System.nanoTime() > deadline) {
                    fail("the service did not notice the removal\n" + service.logTail());
                }
                Thread.sleep(100);
            }
        }
    }
}
