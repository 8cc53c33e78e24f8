package org.accomplishments.validator.share;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every share backend must do, whatever its source (a local folder tree, the sync daemon over D-Bus, ...).
 * Each backend's test extends this class and says how a share gets offered and how a file arrives in it.
 */
public abstract class ShareBackendContract {

    protected final RecordingEvents events = new RecordingEvents();

    /** A started backend (events delivered to {@link #events}). */
    protected abstract ShareBackend backend() throws Exception;

    /** Makes the backend's source offer a share to this server; returns the id it will report. */
    protected abstract String offerShare(String owner, String name) throws Exception;

    /** A file arrives in an accepted share, the way the backend's sync would deliver it. */
    protected abstract void deliver(ShareOffer share, String relativePath, byte[] content) throws Exception;

    /**
     * The source reports a second folder under an existing share id, with another owner (a folder named after
     * someone else's share id, a broken or hostile sync server); returns that folder. Every backend should say how;
     * until it does, the scenario is reported as skipped with this sentence.
     */
    protected Path claimAgain(String shareId, String visibleName, String name) throws Exception {
        throw new org.opentest4j.TestAbortedException(getClass().getSimpleName() + " does not say how a second folder "
                + "claims a share id: override ShareBackendContract.claimAgain");
    }

    /**
     * The owner the backend reports for a share offered as {@code owner}'s: the same name, unless the backend's
     * only authenticated identity is something else (Syncthing: the offering device's id).
     */
    protected String expectedOwner(String owner) {
        return owner;
    }

    @AfterEach
    void closeBackend() throws Exception {
        backend().close();
    }

    protected ShareOffer offered(String shareId) throws Exception {
        return backend().offers().stream().filter(o -> o.shareId().equals(shareId)).findFirst()
                .orElseThrow(() -> new AssertionError("share " + shareId + " is not offered"));
    }

    protected Share accepted(ShareOffer offer) throws Exception {
        assertInstanceOf(AcceptOutcome.Accepted.class, backend().accept(offer));
        Share share = new Share(offer.shareId(), backend().name(), offer.owner(), offer.visibleName(), offer.name(),
                offer.folder(), ShareState.ACCEPTED, null);
        backend().follow(share);
        return share;
    }

    @Test
    void aNewShareIsOfferedWithItsIdOwnerAndFolder() throws Exception {
        String id = offerShare("alice", "alice Trophies Folder");

        ShareOffer offer = offered(id);

        assertEquals("alice Trophies Folder", offer.name());
        assertTrue(offer.owner().equalsIgnoreCase(expectedOwner("alice")), offer.owner());
        assertTrue(offer.folder().isAbsolute());
    }

    @Test
    void anAcceptedSharesFilesCanBeListedAndRead() throws Exception {
        ShareOffer offer = offered(offerShare("bob", "bob Trophies Folder"));
        Share share = accepted(offer);
        byte[] trophy = "[trophy]\nid = c/n\n".getBytes(StandardCharsets.UTF_8);

        deliver(offer, "c/n.trophy", trophy);

        ShareFolder folder = backend().folder(share);
        assertTrue(folder.list(100).entries().stream().anyMatch(e -> e.path().equals("c/n.trophy")));
        var read = assertInstanceOf(ShareFolder.ReadResult.Content.class, folder.read("c/n.trophy", 1000));
        assertArrayEquals(trophy, read.bytes());
    }

    @Test
    void aFileArrivingInAnAcceptedShareRaisesAChangeEventForThatShare() throws Exception {
        ShareOffer offer = offered(offerShare("carol", "carol Trophies Folder"));
        accepted(offer);
        events.changed.clear();

        deliver(offer, "c/n.trophy", "[trophy]\n".getBytes(StandardCharsets.UTF_8));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!events.changed.contains(offer.shareId()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(events.changed.contains(offer.shareId()), "no change event for " + offer.shareId());
    }

    @Test
    void verdictFilesWrittenThroughTheFolderLandInTheSharesDirectory() throws Exception {
        ShareOffer offer = offered(offerShare("dave", "dave Trophies Folder"));
        Share share = accepted(offer);
        deliver(offer, "c/n.trophy", "[trophy]\n".getBytes(StandardCharsets.UTF_8));

        backend().folder(share).writeAtomically("c/n.trophy.asc", "signed".getBytes(StandardCharsets.UTF_8));

        assertEquals("signed", Files.readString(offer.folder().resolve("c/n.trophy.asc")));
    }

    @Test
    void noPathCanLeadOutOfTheShare() throws Exception {
        ShareOffer offer = offered(offerShare("erin", "erin Trophies Folder"));
        Share share = accepted(offer);
        ShareFolder folder = backend().folder(share);

        for (String path : List.of("../x.trophy", "/etc/passwd", "c/../../x.trophy.asc")) {
            assertThrows(IllegalArgumentException.class, () -> folder.read(path, 100), path);
            assertThrows(IllegalArgumentException.class, () -> folder.writeAtomically(path, new byte[0]), path);
        }
    }

    @Test
    void aSecondFolderClaimingAShareIdIsReportedAsItsOwnOffer() throws Exception {
        ShareOffer offer = offered(offerShare("frank", "frank Trophies Folder"));
        Share share = accepted(offer);

        Path second = claimAgain(offer.shareId(), "Mallory", "x");

        // Both are reported as they are: which folder the id belongs to is the core's decision, not the listing's.
        List<Path> claims = backend().offers().stream().filter(o -> o.shareId().equals(offer.shareId()))
                .map(ShareOffer::folder).sorted().toList();
        assertEquals(java.util.stream.Stream.of(offer.folder(), second).sorted().toList(), claims);
        // and the accepted share's folder is still the one it was accepted with
        deliver(offer, "c/n.trophy", "[trophy]\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(backend().folder(share).exists("c/n.trophy"));
        assertTrue(!Files.exists(second.resolve("c/n.trophy")), "nothing arrives in the claiming folder");
    }

    /** Records what a backend reports. */
    public static final class RecordingEvents implements ShareEvents {
        public final List<String> changed = new CopyOnWriteArrayList<>();
        public final List<String> gone = new CopyOnWriteArrayList<>();
        public volatile int offers;
        public volatile int missed;

        @Override
        public void offersChanged() {
            offers++;
        }

        @Override
        public void shareChanged(String shareId, Path file) {
            changed.add(shareId);
        }

        @Override
        public void somethingMissed() {
            missed++;
        }

        @Override
        public void shareGone(String shareId) {
            gone.add(shareId);
        }
    }
}
