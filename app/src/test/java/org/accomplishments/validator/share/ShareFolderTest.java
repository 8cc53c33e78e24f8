package org.accomplishments.validator.share;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Everything inside a share is written by a stranger: no read or write may leave the share. */
class ShareFolderTest {
    @TempDir
    Path tmp;

    private Path share() throws IOException {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Files.createDirectories(share.resolve("col"));
        return share;
    }

    @Test
    void aSymlinkToAFileOutsideTheShareIsNeverRead() throws IOException {
        Path share = share();
        Path secret = Files.writeString(tmp.resolve("secret"), "top secret");
        Files.createSymbolicLink(share.resolve("col/x.trophy"), secret);

        ShareFolder.ReadResult read = new ShareFolder(share).read("col/x.trophy", 1000);

        assertEquals(ShareFolder.Kind.SYMLINK, assertInstanceOf(ShareFolder.ReadResult.NotRegular.class, read).kind());
    }

    @Test
    void aSymlinkedDirectoryIsNeitherListedIntoNorReadThrough() throws IOException {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("y.trophy"), "[trophy]\n");
        Files.createSymbolicLink(share.resolve("col"), outside);
        ShareFolder folder = new ShareFolder(share);

        ShareFolder.Listing listing = folder.list(100);

        assertEquals(List.of("col"), listing.entries().stream().map(ShareFolder.Entry::path).toList());
        assertEquals(ShareFolder.Kind.SYMLINK, listing.entries().get(0).kind());
        assertInstanceOf(ShareFolder.ReadResult.Missing.class, folder.read("col/y.trophy", 1000));
    }

    @Test
    void aWriteThroughASymlinkedDirectoryIsRefusedAndNothingLandsOutside() throws IOException {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(share.resolve("col"), outside);

        assertThrows(IOException.class, () -> new ShareFolder(share).writeAtomically("col/y.trophy.asc",
                "x".getBytes(StandardCharsets.UTF_8)));

        try (var files = Files.list(outside)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void anAscThatIsASymlinkIsReplacedNotFollowed() throws IOException {
        Path share = share();
        Path victim = Files.writeString(tmp.resolve("victim"), "do not touch");
        Files.createSymbolicLink(share.resolve("col/x.trophy.asc"), victim);

        new ShareFolder(share).writeAtomically("col/x.trophy.asc", "signed".getBytes(StandardCharsets.UTF_8));

        assertEquals("do not touch", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(share.resolve("col/x.trophy.asc")));
        assertEquals("signed", Files.readString(share.resolve("col/x.trophy.asc")));
    }

    @Test
    void aFileCreatedNewAppearsWholeAndNeverReplacesWhatIsThere() throws IOException {
        Path share = share();
        Files.createDirectories(share.resolve("col"));
        Files.writeString(share.resolve("col/mine.trophy"), "the user's own");
        Files.createSymbolicLink(share.resolve("col/link.trophy"), tmp.resolve("elsewhere"));
        ShareFolder folder = new ShareFolder(share);

        folder.createNew("col/new.trophy", "issued".getBytes(StandardCharsets.UTF_8));

        assertEquals("issued", Files.readString(share.resolve("col/new.trophy")));
        for (String taken : List.of("col/mine.trophy", "col/link.trophy", "col/new.trophy")) {
            assertTrue(folder.exists(taken), taken);
            assertThrows(java.nio.file.FileAlreadyExistsException.class,
                    () -> folder.createNew(taken, "again".getBytes(StandardCharsets.UTF_8)), taken);
        }
        assertEquals("the user's own", Files.readString(share.resolve("col/mine.trophy")));
        assertTrue(Files.isSymbolicLink(share.resolve("col/link.trophy")));
        assertFalse(Files.exists(tmp.resolve("elsewhere")));
        assertFalse(folder.exists("col/absent.trophy"));
        try (var files = Files.list(share.resolve("col"))) {
            assertTrue(files.noneMatch(p -> ShareFolder.isTemporaryName(p.getFileName().toString())), "no temporary left");
        }
    }

    @Test
    void aDanglingSymlinkIsReportedAsALink() throws IOException {
        Path share = share();
        Files.createSymbolicLink(share.resolve("col/x.trophy"), tmp.resolve("nowhere"));

        assertInstanceOf(ShareFolder.ReadResult.NotRegular.class, new ShareFolder(share).read("col/x.trophy", 10));
    }

    @Test
    void aFifoIsNotOpenedSoNothingHangs() throws Exception {
        Path share = share();
        Process mkfifo = new ProcessBuilder("mkfifo", share.resolve("col/x.trophy").toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);

        ShareFolder.ReadResult read = new ShareFolder(share).read("col/x.trophy", 1000);

        assertEquals(ShareFolder.Kind.OTHER, assertInstanceOf(ShareFolder.ReadResult.NotRegular.class, read).kind());
    }

    @Test
    void aFileOverTheLimitIsNotRead() throws IOException {
        Path share = share();
        Files.write(share.resolve("col/x.trophy"), new byte[10 * 1024 * 1024]);

        ShareFolder.ReadResult read = new ShareFolder(share).read("col/x.trophy", 65536);

        assertEquals(10 * 1024 * 1024, assertInstanceOf(ShareFolder.ReadResult.TooLarge.class, read).size());
    }

    @Test
    void aFileAtTheLimitIsReadWholeAndOneLongerIsNot() throws IOException {
        Path share = share();
        byte[] atLimit = new byte[4096];
        java.util.Arrays.fill(atLimit, (byte) 'x');
        Files.write(share.resolve("col/at.trophy"), atLimit);
        Files.write(share.resolve("col/over.trophy"), new byte[4097]);
        ShareFolder folder = new ShareFolder(share);

        ShareFolder.ReadResult at = folder.read("col/at.trophy", 4096);
        ShareFolder.ReadResult over = folder.read("col/over.trophy", 4096);

        assertArrayEquals(atLimit, assertInstanceOf(ShareFolder.ReadResult.Content.class, at).bytes());
        assertInstanceOf(ShareFolder.ReadResult.TooLarge.class, over);
    }

    @Test
    void aFileLongerThanItsStatSaysIsReadToItsEndAndStillCappedAtTheLimit() throws IOException {
        // A file that grew after its stat, the way the buffer sized from the stat has to grow: /proc/<pid>/status
        // is a regular file whose stat size is 0 but which reads about a kilobyte.
        Path proc = Path.of("/proc", Long.toString(ProcessHandle.current().pid()));
        ShareFolder folder = new ShareFolder(proc);

        byte[] whole = assertInstanceOf(ShareFolder.ReadResult.Content.class, folder.read("status", 65536)).bytes();
        ShareFolder.ReadResult capped = folder.read("status", 16);

        assertTrue(new String(whole, StandardCharsets.UTF_8).startsWith("Name:"), "read to its end");
        assertTrue(whole.length > 256, "more than one doubling of the buffer: " + whole.length);
        assertInstanceOf(ShareFolder.ReadResult.TooLarge.class, capped);
    }

    @Test
    void pathsThatClimbOutOfTheShareAreRefused() throws IOException {
        ShareFolder folder = new ShareFolder(share());
        for (String bad : List.of("../x.trophy", "col/../../x", "/etc/passwd", "col//x", "./x", "a\0b")) {
            assertThrows(IllegalArgumentException.class, () -> folder.read(bad, 10), bad);
        }
    }

    @Test
    void onlyTheServersOwnFilesCanBeWrittenOrDeleted() throws IOException {
        Path share = share();
        Files.writeString(share.resolve("col/x.trophy"), "mine");
        ShareFolder folder = new ShareFolder(share);

        assertThrows(IllegalArgumentException.class, () -> folder.writeAtomically("col/x.trophy", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> folder.delete("col/x.trophy"));
        assertEquals("mine", Files.readString(share.resolve("col/x.trophy")));
    }

    @Test
    void anAtomicWriteLeavesNoTemporaryFileAndReplacesTheOldContent() throws IOException {
        Path share = share();
        ShareFolder folder = new ShareFolder(share);

        folder.writeAtomically("col/x.trophy.asc", "one".getBytes(StandardCharsets.UTF_8));
        folder.writeAtomically("col/x.trophy.asc", "two".getBytes(StandardCharsets.UTF_8));

        try (var files = Files.list(share.resolve("col"))) {
            assertEquals(List.of("x.trophy.asc"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(share.resolve("col/x.trophy.asc")));
    }

    @Test
    void aSignatureWrittenOverARejectionTakesTheRejectionAwayInTheSameWalk() throws IOException {
        Path share = share();
        Files.writeString(share.resolve("col/x.trophy.rejected"), "rejected: an older content");
        Files.createDirectories(share.resolve("col/y.trophy.rejected")); // a directory by that name is never ours
        ShareFolder folder = new ShareFolder(share);

        boolean removedX = folder.writeAtomicallyRemoving("col/x.trophy.asc", "signed".getBytes(StandardCharsets.UTF_8),
                "col/x.trophy.rejected");
        boolean removedY = folder.writeAtomicallyRemoving("col/y.trophy.asc", "signed".getBytes(StandardCharsets.UTF_8),
                "col/y.trophy.rejected");
        boolean removedZ = folder.writeAtomicallyRemoving("col/z.trophy.asc", "signed".getBytes(StandardCharsets.UTF_8),
                "col/z.trophy.rejected");

        assertTrue(removedX);
        assertFalse(removedY);
        assertFalse(removedZ);
        assertTrue(Files.isDirectory(share.resolve("col/y.trophy.rejected")));
        try (var files = Files.list(share.resolve("col"))) {
            assertEquals(List.of("x.trophy.asc", "y.trophy.asc", "y.trophy.rejected", "z.trophy.asc"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("signed", Files.readString(share.resolve("col/x.trophy.asc")));
    }

    @Test
    void theFileRemovedAlongAWriteMustBeTheServersOwnAndBesideIt() throws IOException {
        Path share = share();
        Files.writeString(share.resolve("col/x.trophy"), "mine");
        Files.createDirectories(share.resolve("other"));
        Files.writeString(share.resolve("other/x.trophy.rejected"), "rejected");
        ShareFolder folder = new ShareFolder(share);

        assertThrows(IllegalArgumentException.class, () -> folder.writeAtomicallyRemoving("col/x.trophy.asc",
                new byte[0], "col/x.trophy"));
        assertThrows(IllegalArgumentException.class, () -> folder.writeAtomicallyRemoving("col/x.trophy.asc",
                new byte[0], "other/x.trophy.rejected"));
        assertEquals("mine", Files.readString(share.resolve("col/x.trophy")));
        assertTrue(Files.exists(share.resolve("other/x.trophy.rejected")));
        assertFalse(Files.exists(share.resolve("col/x.trophy.asc")));
    }

    @Test
    void temporariesLeftByACrashAreRemovedButLookAlikesOfTheUserAreNot() throws IOException {
        Path share = share();
        Path ours = Files.writeString(share.resolve("col/.accomplishments-validator-0123456789abcdef.tmp"), "half");
        Path theirs = Files.writeString(share.resolve("col/.accomplishments-validator-notours.tmp"), "user");
        ShareFolder folder = new ShareFolder(share);

        int removed = folder.removeTemporaries(folder.list(100), Duration.ZERO);

        assertEquals(1, removed);
        assertFalse(Files.exists(ours));
        assertTrue(Files.exists(theirs));
    }

    @Test
    void listingStopsAtTheLimitAndDoesNotDescendPastTheShareLayout() throws IOException {
        Path share = share();
        Files.createDirectories(share.resolve("col/deeper/still"));
        Files.writeString(share.resolve("col/deeper/still/z.trophy"), "x");
        for (int i = 0; i < 50; i++) {
            Files.writeString(share.resolve("col/f" + i), "x");
        }
        ShareFolder folder = new ShareFolder(share);

        ShareFolder.Listing all = folder.list(1000);
        ShareFolder.Listing limited = folder.list(10);

        assertTrue(all.entries().stream().noneMatch(e -> e.path().contains("still")));
        assertFalse(all.truncated());
        assertTrue(limited.truncated());
        assertEquals(10, limited.entries().size());
    }
}
