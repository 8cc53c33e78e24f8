package org.accomplishments.validator.issuing;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes the collection folder a human-issued {@code .trophy} goes into; the file itself is written by
 * {@code ShareFolder.createNew}, which never replaces anything.
 */
final class CollectionFolder {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private CollectionFolder() {
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
}
