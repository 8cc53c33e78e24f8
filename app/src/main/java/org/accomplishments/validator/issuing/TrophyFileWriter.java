package org.accomplishments.validator.issuing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Puts a human-issued {@code .trophy} into a share. This is the one file the appliance creates that is not a
 * verdict file of its own ({@code ShareFolder} writes only those), so it gets its own, stricter writer:
 * <ul>
 *   <li>it never replaces anything: an existing file of that name (the user's own trophy, a link, a FIFO) makes
 *       it refuse;</li>
 *   <li>the content appears at once, whole: a temporary file (the name the share scanner skips and housekeeping
 *       removes after a crash) is written, flushed, then renamed;</li>
 *   <li>no link is followed: the share is opened relative to its parent, its collection folder relative to it.</li>
 * </ul>
 * Java cannot rename without replacing (no {@code renameat2(RENAME_NOREPLACE)}), so a file the user's client
 * creates in the microseconds between the last check and the rename would be replaced; the window is checked
 * twice and is far shorter than any sync client's write.
 */
final class TrophyFileWriter {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TrophyFileWriter() {
    }

    /**
     * Makes sure {@code <share>/<collection>} is a real directory, creating it when missing. {@code mkdir} has no
     * directory-relative form in Java: it goes by path after the share root was checked not to be a link, and the
     * result is checked again without following links, so the worst a racing swap achieves is an empty directory.
     */
    static void ensureFolder(Path shareRoot, String collection) throws IOException {
        requireDirectory(shareRoot, "the share folder");
        Path folder = shareRoot.resolve(collection);
        if (!Files.exists(folder, NOFOLLOW)) {
            try {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            } catch (FileAlreadyExistsException raced) {
                // created meanwhile (by the user's client): fine if it is a directory, checked below
            }
        }
        requireDirectory(folder, "the collection folder " + collection);
    }

    private static void requireDirectory(Path dir, String what) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class, NOFOLLOW);
        if (!attrs.isDirectory()) {
            throw new IOException(what + " is not a directory (a link or a file); nothing was written");
        }
    }

    /** Whether anything (file, link, FIFO, directory) has that name in the collection folder. */
    static boolean exists(Path shareRoot, String collection, String fileName) throws IOException {
        try (SecureDirectoryStream<Path> dir = open(shareRoot, collection)) {
            return dir != null && attributes(dir, fileName) != null;
        }
    }

    /** Creates {@code <share>/<collection>/<fileName>} with the content; refuses when the name is taken. */
    static void createNew(Path shareRoot, String collection, String fileName, byte[] content) throws IOException {
        try (SecureDirectoryStream<Path> dir = open(shareRoot, collection)) {
            if (dir == null) {
                throw new NoSuchFileException(collection, null, "the collection folder is missing");
            }
            if (attributes(dir, fileName) != null) {
                throw new FileAlreadyExistsException(fileName, null, "the share already has this file; nothing was replaced");
            }
            byte[] random = new byte[8];
            RANDOM.nextBytes(random);
            Path temp = Path.of(".accomplishments-validator-" + HexFormat.of().formatHex(random) + ".tmp");
            Set<OpenOption> options = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW, NOFOLLOW);
            boolean renamed = false;
            try {
                try (SeekableByteChannel channel = dir.newByteChannel(temp, options,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))) {
                    ByteBuffer buffer = ByteBuffer.wrap(content);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    if (channel instanceof FileChannel file) {
                        file.force(true);
                    }
                }
                if (attributes(dir, fileName) != null) {
                    throw new FileAlreadyExistsException(fileName, null, "the share got this file meanwhile; nothing was replaced");
                }
                dir.move(temp, dir, Path.of(fileName));
                renamed = true;
            } finally {
                if (!renamed) {
                    try {
                        dir.deleteFile(temp);
                    } catch (IOException ignored) {
                        // housekeeping removes stale temporaries of ours
                    }
                }
            }
        }
    }

    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, String name) throws IOException {
        try {
            return dir.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, NOFOLLOW).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The collection folder, opened relative to the share, opened relative to its parent; null when missing. */
    private static SecureDirectoryStream<Path> open(Path shareRoot, String collection) throws IOException {
        Path parent = shareRoot.getParent();
        if (parent == null) {
            throw new IOException("a share folder cannot be the file-system root");
        }
        DirectoryStream<Path> stream = Files.newDirectoryStream(parent);
        if (!(stream instanceof SecureDirectoryStream<Path> secureParent)) {
            stream.close();
            throw new IOException("this platform offers no SecureDirectoryStream; refusing to write into a share");
        }
        try (secureParent) {
            SecureDirectoryStream<Path> root;
            try {
                root = secureParent.newDirectoryStream(shareRoot.getFileName(), NOFOLLOW);
            } catch (NoSuchFileException e) {
                return null;
            }
            try (root) {
                return root.newDirectoryStream(Path.of(collection), NOFOLLOW);
            } catch (NoSuchFileException e) {
                return null;
            }
        }
    }
}
