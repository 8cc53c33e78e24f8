package org.accomplishments.validator.share.local;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.accomplishments.validator.share.ShareClaimRefusalRow;
import org.accomplishments.validator.share.ShareRegistry;
import org.accomplishments.validator.share.ShareState;
import org.accomplishments.validator.validation.PipelineScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mallory names a folder {@code x (Mallory, <Alice's share id>)} in the local share root (issue 10, item 2). The id
 * stays with Alice's folder whatever order the directory lists them in: Mallory's folder is refused
 * {@code share-id-in-use} and nothing in it is signed, Alice's trophies are still signed bound to her id in her
 * folder, and an award for Alice lands in her folder. Offer rounds run only when the test asks (no events, an hourly
 * offer timer), so each listing order is the one the test set up; the rescan and validation timers run as usual.
 */
@MicronautTest(transactional = false)
class ShareIdHijackTest extends PipelineScenario {
    @Inject
    EmbeddedServer server;

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of("ok", "exit 0", "more", "exit 0");
    }

    @Override
    protected Map<String, String> extraProperties() {
        accomplishment("award", null, "needs-signing = true\nhuman-issued = true\n");
        return Map.of("validator.shares.offer-interval", "1h", "validator.shares.events", "false");
    }

    /** The share root's entries in the order the backend lists them (the same directory stream). */
    private List<Path> listing() {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(sharesRoot)) {
            children.forEach(entries::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private boolean listedBefore(Path first, Path second) {
        List<Path> entries = listing();
        return entries.indexOf(first) >= 0 && entries.indexOf(first) < entries.indexOf(second);
    }

    /**
     * Mallory's folder for the share id, named so the directory lists it before (or after) Alice's: the order is the
     * file system's (ext4: a hash of the name, tmpfs: creation), so names are tried until it is the wanted one.
     */
    private Path malloryFolder(String shareId, Path alices, boolean listedFirst) {
        for (int n = 0; n < 200; n++) {
            Path folder = sharesRoot.resolve("x" + n + " (Mallory, " + shareId + ")");
            write(folder.resolve(".extrainformation/email"), "mallory@example.org\n");
            putTrophyIn(folder, "ok", "mallory@example.org");
            if (listedBefore(folder, alices) == listedFirst) {
                return folder;
            }
            delete(folder); // our own test folder: try another name
        }
        throw new AssertionError("no name made the directory list Mallory's folder "
                + (listedFirst ? "first" : "last"));
    }

    private static void putTrophyIn(Path folder, String name, String email) {
        write(folder.resolve(COLLECTION + "/" + name + ".trophy"), trophyText(name, email));
    }

    private static void delete(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> signaturesIn(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".asc")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void assertTheIdStaysWithAlice(Share alice, Path mallory) throws Exception {
        var share = registry.find(alice.id()).orElseThrow();
        assertEquals(ShareState.ACCEPTED, share.state(), share.reason());
        assertEquals(alice.folder(), share.folder(), "the share id still belongs to Alice's folder");
        assertEquals("Alice", share.owner());
        List<ShareClaimRefusalRow> refusals = registry.latestClaimRefusals(500).stream()
                .filter(r -> r.shareId().equals(alice.id())).toList();
        assertEquals(1, refusals.size(), refusals.toString());
        assertEquals(mallory.toString(), refusals.get(0).folder());
        assertEquals("share-id-in-use", refusals.get(0).reason());
        assertEquals(alice.folder().toString(), refusals.get(0).heldBy());

        // Alice's next trophy is signed bound to her id in her folder.
        putTrophy(alice, "more", "alice@example.org");
        String signed = awaitFile(alice.asc("more"), Duration.ofSeconds(20));
        assertTrue(signed.contains("share-id = " + alice.id()) && signed.contains("owner = Alice"), signed);

        // An award for Alice goes into Alice's folder, not Mallory's.
        HttpResponse<String> issued = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getPort() + "/api/issued"))
                .header("Authorization", "Bearer test-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"share\":\"" + alice.id() + "\",\"accomplishment\":\""
                        + COLLECTION + "/award\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, issued.statusCode(), issued.body());
        assertTrue(Files.exists(alice.asc("award")), "the award is in Alice's folder");

        // Rescans run every second: give them time to do the wrong thing, then look at Mallory's folder.
        inbox.rescanAll();
        Thread.sleep(1500);
        assertEquals(List.of(), signaturesIn(mallory), "nothing signed in Mallory's folder");
        assertFalse(Files.exists(mallory.resolve(COLLECTION + "/ok.trophy.rejected")), "nor any verdict written");

        // /api/shares shows the refused folder, with the reason, beside Alice's share.
        HttpResponse<String> listed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getPort() + "/api/shares?state=refused&size=500"))
                .header("Authorization", "Bearer test-token").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, listed.statusCode(), listed.body());
        assertTrue(listed.body().contains("\"reason\":\"share-id-in-use\"")
                && listed.body().contains(mallory.getFileName().toString().replace("\"", "\\\"")), listed.body());
        // and so does the web UI's shares list
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getPort() + "/shares"))
                .header("Authorization", "Bearer test-token").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("share-id-in-use") && page.body().contains(mallory.toString()), page.body());
    }

    @ParameterizedTest(name = "Mallory''s folder listed first: {0}")
    @ValueSource(booleans = {true, false})
    void aFolderClaimingAnAcceptedSharesIdIsRefusedWhateverTheListingOrder(boolean malloryListedFirst) throws Exception {
        Share alice = newShare("Alice", "alice@example.org");
        putTrophy(alice, "ok", "alice@example.org");
        inbox.acceptOffers();
        awaitFile(alice.asc("ok"), Duration.ofSeconds(20));

        Path mallory = malloryFolder(alice.id(), alice.folder(), malloryListedFirst);
        assertEquals(malloryListedFirst, listedBefore(mallory, alice.folder()));
        inbox.acceptOffers();
        inbox.acceptOffers(); // a second round changes nothing

        assertTheIdStaysWithAlice(alice, mallory);
    }

    @ParameterizedTest(name = "Mallory''s folder listed first: {0}")
    @ValueSource(booleans = {true, false})
    void twoFoldersClaimingANewIdAtOnceGiveItToOneWhateverTheListingOrder(boolean malloryListedFirst)
            throws Exception {
        // Both folders are there when the server first looks; which one was created first does not matter either.
        Share alice = newShare("Alice", "alice@example.org");
        Path mallory = malloryFolder(alice.id(), alice.folder(), malloryListedFirst);
        putTrophy(alice, "ok", "alice@example.org");
        assertEquals(malloryListedFirst, listedBefore(mallory, alice.folder()));

        inbox.acceptOffers();
        awaitFile(alice.asc("ok"), Duration.ofSeconds(20));

        assertTheIdStaysWithAlice(alice, mallory);
    }

    @Test
    void aShareWhoseOldFolderIsRenamedAwayIsFollowedToItsNewFolder() throws Exception {
        Share alice = newShare("Alice", "alice@example.org");
        putTrophy(alice, "ok", "alice@example.org");
        inbox.acceptOffers();
        awaitFile(alice.asc("ok"), Duration.ofSeconds(20));

        Path renamed = sharesRoot.resolve("Alice's trophies (Alice, " + alice.id() + ")");
        Files.move(alice.folder(), renamed);
        inbox.acceptOffers();

        var share = registry.find(alice.id()).orElseThrow();
        assertEquals(ShareState.ACCEPTED, share.state(), share.reason());
        assertEquals(renamed, share.folder());
        putTrophyIn(renamed, "more", "alice@example.org");
        String signed = awaitFile(renamed.resolve(COLLECTION + "/more.trophy.asc"), Duration.ofSeconds(20));
        assertTrue(signed.contains("share-id = " + alice.id()), signed);
        assertTrue(registry.latestClaimRefusals(500).stream().noneMatch(r -> r.shareId().equals(alice.id())));
    }

    @Test
    void aSquattersFolderDoesNotInheritTheIdWhenTheOwnersFolderGoes() throws Exception {
        Share alice = newShare("Alice", "alice@example.org");
        inbox.acceptOffers();
        Path mallory = malloryFolder(alice.id(), alice.folder(), true);
        inbox.acceptOffers();

        delete(alice.folder());
        inbox.acceptOffers();

        var share = registry.find(alice.id()).orElseThrow();
        assertEquals(ShareState.GONE, share.state());
        assertEquals(alice.folder(), share.folder(), "refused once, refused for good");
        inbox.rescanAll();
        Thread.sleep(1500);
        assertEquals(List.of(), signaturesIn(mallory));
        assertEquals(Optional.empty(), Optional.ofNullable(share.reason()).filter(r -> r.contains("moved")));
    }
}
