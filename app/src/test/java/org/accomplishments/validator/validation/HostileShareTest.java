package org.accomplishments.validator.validation;

import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.share.ShareState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A share is written by a stranger. Whatever it holds, no file outside it is read or written, each entry gets
 * its verdict, and the service keeps working for everyone else.
 */
@MicronautTest(transactional = false)
class HostileShareTest extends PipelineScenario {
    @Inject
    @Client("/")
    HttpClient http;

    private final Path outside = dataDir.resolveSibling(dataDir.getFileName() + "-outside");

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of("ok", "exit 0");
    }

    private Path outsideFile(String name, String content) throws Exception {
        Files.createDirectories(outside);
        return Files.writeString(outside.resolve(name), content);
    }

    private void assertOutsideUntouched() throws Exception {
        try (var files = Files.list(outside)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                assertFalse(name.endsWith(".asc") || name.endsWith(".rejected") || name.endsWith(".tmp"),
                        "written outside the share: " + p);
            }
        }
    }

    private void assertServiceUp() {
        assertTrue(http.toBlocking().retrieve("/health").contains("UP"));
    }

    @Test
    void aTrophyThatIsASymlinkToAFileOutsideIsNotReadAndIsRejected() throws Exception {
        Share share = newShare("h1", "h1@example.org");
        Path secret = outsideFile("secret.trophy", trophyText("ok", "h1@example.org"));
        Files.createDirectories(share.trophy("ok").getParent());
        Files.createSymbolicLink(share.trophy("ok"), secret);

        assertEquals("not-a-regular-file", awaitRejection(share, "ok"));
        assertOutsideUntouched();
        assertServiceUp();
    }

    @Test
    void aCollectionFolderThatIsASymlinkToADirectoryIsNotEntered() throws Exception {
        Share share = newShare("h2", "h2@example.org");
        outsideFile("ok.trophy", trophyText("ok", "h2@example.org"));
        Files.createSymbolicLink(share.folder().resolve(COLLECTION), outside);
        Share control = newShare("h2-control", "h2c@example.org");
        putTrophy(control, "ok", "h2c@example.org");

        awaitFile(control.asc("ok"), Duration.ofSeconds(20));
        inbox.rescanAll();

        assertTrue(ledger.current(share.id()).isEmpty());
        assertOutsideUntouched();
    }

    @Test
    void aDanglingSymlinkGetsItsVerdict() throws Exception {
        Share share = newShare("h3", "h3@example.org");
        Files.createDirectories(share.trophy("ok").getParent());
        Files.createSymbolicLink(share.trophy("ok"), outside.resolve("does-not-exist"));

        assertEquals("not-a-regular-file", awaitRejection(share, "ok"));
    }

    @Test
    void aFifoNamedLikeATrophyDoesNotHangTheService() throws Exception {
        Share share = newShare("h4", "h4@example.org");
        Files.createDirectories(share.trophy("ok").getParent());
        Process mkfifo = new ProcessBuilder("mkfifo", share.trophy("ok").toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS));

        assertEquals("not-a-regular-file", awaitRejection(share, "ok"));
        assertServiceUp();
    }

    @Test
    void aTenMegabyteTrophyIsRejectedUnread() {
        Share share = newShare("h5", "h5@example.org");
        byte[] big = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        write(share.trophy("ok"), big);

        assertEquals("too-large", awaitRejection(share, "ok"));
    }

    @Test
    void binaryGarbageIsRejectedWithAReason() {
        Share share = newShare("h6", "h6@example.org");
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        write(share.trophy("ok"), garbage);

        String reason = awaitRejection(share, "ok");
        assertTrue(reason.equals("invalid-encoding") || reason.equals("malformed"), reason);
    }

    @Test
    void invalidUtf8IsRejectedAsInvalidEncoding() {
        Share share = newShare("h7", "h7@example.org");
        byte[] text = trophyText("ok", "h7@example.org").getBytes(StandardCharsets.UTF_8);
        byte[] broken = java.util.Arrays.copyOf(text, text.length + 2);
        broken[text.length] = (byte) 0xC3;
        broken[text.length + 1] = (byte) 0x28;
        write(share.trophy("ok"), broken);

        assertEquals("invalid-encoding", awaitRejection(share, "ok"));
    }

    @Test
    void aShareOfAHundredThousandTinyFilesIsRefusedAndEveryoneElseCarriesOn() throws Exception {
        Share flood = newShare("h8", "h8@example.org");
        Path dir = Files.createDirectories(flood.folder().resolve(COLLECTION));
        for (int i = 0; i < 100_000; i++) {
            Files.write(dir.resolve("f" + i), new byte[]{1});
        }
        putTrophy(flood, "ok", "h8@example.org");
        Share control = newShare("h8-control", "h8c@example.org");
        putTrophy(control, "ok", "h8c@example.org");

        awaitFile(control.asc("ok"), Duration.ofSeconds(30));
        var decided = await(() -> registry.find(flood.id()).filter(s -> s.state() != ShareState.OFFERED),
                Duration.ofSeconds(30), "a decision on the flooded share");

        // Refused as an offer when it arrives full, or marked over its limit when it fills up after acceptance.
        assertTrue(decided.state() == ShareState.REFUSED || decided.state() == ShareState.OVER_LIMIT, decided.state().name());
        assertTrue(decided.reason().contains("max-files-per-share"), decided.reason());
        assertFalse(Files.exists(flood.asc("ok")));
        assertServiceUp();
    }

    @Test
    void aTrophyPathNamedWithControlCharactersAndQuotesIsHandled() {
        Share share = newShare("h9", "h9@example.org");
        String name = "we'ird $(touch pwned) \t name";
        write(share.folder().resolve(COLLECTION + "/" + name + ".trophy"), trophyText("ok", "h9@example.org"));

        String text = awaitFile(share.folder().resolve(COLLECTION + "/" + name + ".trophy.rejected"),
                Duration.ofSeconds(20));
        assertTrue(text.contains("reason = id-path-mismatch"), text);
        assertFalse(Files.exists(Path.of("pwned")));
    }

    @Test
    void aRejectionIsCountedInTheStatusAndTheServiceStaysUp() {
        Share share = newShare("h10", "h10@example.org");
        write(share.trophy("ok"), "not a key file at all\n");
        assertEquals("malformed", awaitRejection(share, "ok"));

        String status = http.toBlocking().retrieve(io.micronaut.http.HttpRequest.GET("/api/status").bearerAuth("test-token"), String.class);

        assertTrue(status.matches(".*\"rejected\":[1-9][0-9]*.*"), status);
        assertServiceUp();
    }
}
