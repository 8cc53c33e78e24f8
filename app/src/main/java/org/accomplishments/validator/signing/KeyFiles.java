package org.accomplishments.validator.signing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * File-system rules for the key directory: owner-only permissions, and writes that are all-or-nothing
 * (temporary file in the same directory, fsync, atomic rename, fsync of the directory) so that a crash never
 * leaves a half-written key or metadata file behind.
 */
final class KeyFiles {

    static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    static final String TEMP_SUFFIX = ".tmp";
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private KeyFiles() {
    }

    static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Creates the directory owner-only, or tightens an existing one to 0700. Tightening is safe: the directory
     * only reveals file names, and a secret file that was exposed is caught by {@link #requireOwnerOnly}.
     * Returns whether permissions were changed.
     */
    static boolean prepareDirectory(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectory(dir, posix(dir.toAbsolutePath().getParent())
                        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIR)}
                        : new FileAttribute<?>[0]);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
            }
        }
        if (posix(dir) && !Files.getPosixFilePermissions(dir).equals(OWNER_DIR)) {
            Files.setPosixFilePermissions(dir, OWNER_DIR);
            return true;
        }
        return false;
    }

    /** Group or world access to a secret key means it may already have been copied: refuse, do not repair. */
    static void requireOwnerOnly(Path secretFile) throws IOException {
        if (!posix(secretFile)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(secretFile);
        permissions.retainAll(GROUP_OR_OTHERS);
        if (!permissions.isEmpty()) {
            throw new KeyringException("the secret key file " + secretFile + " is accessible to group or others ("
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)) + "). The key may "
                    + "have been copied; if you are sure it was not, run 'chmod 600 " + secretFile
                    + "', otherwise rotate to a new key. The service will not start with an exposed key.");
        }
    }

    /** The attribute that creates a file 0600 in {@code dir}, or none where permissions are not POSIX. */
    static FileAttribute<?>[] ownerOnlyFile(Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
    }

    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX, ownerOnlyFile(dir));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        fsyncDirectory(dir);
    }

    /** Makes the rename itself durable. Some file systems cannot sync a directory; that is not an error. */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }

    /** Temporary files left by a crash between create and rename. */
    static void removeStaleTemporaryFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
