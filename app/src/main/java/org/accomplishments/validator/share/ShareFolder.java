package org.accomplishments.validator.share;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * File access confined to one share. Everything below the share root is written by a stranger, so every
 * operation walks the path one directory at a time through {@link SecureDirectoryStream} (openat/fstatat/renameat
 * relative to an open directory, never following a symbolic link): a link planted anywhere in the path, or swapped
 * in while we work, cannot lead a read or a write outside the share.
 *
 * <p>The server only ever creates, replaces or removes its own {@code .trophy.asc} and {@code .trophy.rejected}
 * files and its own temporary files; {@link #delete} refuses anything else.
 */
public final class ShareFolder {

    /** Depth of the share layout: {@code <collection>/<name>.trophy}. Nothing deeper is ever looked at. */
    public static final int MAX_DEPTH = 2;
    private static final String TEMP_PREFIX = ".accomplishments-validator-";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Pattern TEMP_NAME = Pattern.compile(Pattern.quote(TEMP_PREFIX) + "[0-9a-f]{16}"
            + Pattern.quote(TEMP_SUFFIX));
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final Written written;

    /**
     * Told of each file the server wrote or removed in the share, once it is done: a sync backend uses it to send
     * the verdict on its way at once instead of waiting for its own file-system watcher.
     */
    @FunctionalInterface
    public interface Written {
        void written(String relativePath);
    }

    public ShareFolder(Path root) {
        this(root, null);
    }

    public ShareFolder(Path root, Written written) {
        this.root = root.toAbsolutePath().normalize();
        this.written = written;
    }

    private void tell(String relativePath) {
        if (written != null) {
            written.written(relativePath);
        }
    }

    public Path root() {
        return root;
    }

    public static boolean isTemporaryName(String fileName) {
        return TEMP_NAME.matcher(fileName).matches();
    }

    /** An entry met while listing: its path relative to the share root ('/'-separated) and what it is. */
    public record Entry(String path, Kind kind, long size, Instant modified) {
        public String fileName() {
            int slash = path.lastIndexOf('/');
            return slash < 0 ? path : path.substring(slash + 1);
        }
    }

    public enum Kind { REGULAR, DIRECTORY, SYMLINK, OTHER }

    /**
     * The entries down to {@link #MAX_DEPTH}, directories included, without following links.
     *
     * @param limit stop after this many entries; {@link Listing#truncated()} says so
     */
    public record Listing(List<Entry> entries, boolean truncated, int regularFiles, long regularBytes,
                          Instant rootModified) {
    }

    public Listing list(int limit) throws IOException {
        return Bounded.call(() -> listNow(limit), root.toString());
    }

    private Listing listNow(int limit) throws IOException {
        List<Entry> entries = new ArrayList<>();
        long[] totals = new long[2];
        boolean truncated;
        Instant rootModified;
        try (SecureDirectoryStream<Path> dir = openRoot()) {
            // The folder's own mtime, of the directory opened, before its entries are read: a change after this
            // moment gives a later mtime, which a timer rescan notices without listing (see directoryModified).
            rootModified = dir.getFileAttributeView(BasicFileAttributeView.class).readAttributes().lastModifiedTime()
                    .toInstant();
            truncated = !walk(dir, "", 1, limit, entries, totals);
        }
        return new Listing(List.copyOf(entries), truncated, (int) totals[0], totals[1], rootModified);
    }

    private boolean walk(SecureDirectoryStream<Path> dir, String prefix, int depth, int limit, List<Entry> out,
                         long[] totals) throws IOException {
        List<String> subdirs = new ArrayList<>();
        for (Path child : dir) {
            if (out.size() >= limit) {
                return false;
            }
            String name = child.getFileName().toString();
            BasicFileAttributes attrs;
            try {
                attrs = dir.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, NOFOLLOW)
                        .readAttributes();
            } catch (NoSuchFileException gone) {
                continue;
            }
            Entry entry = new Entry(prefix + name, kindOf(attrs), attrs.size(), attrs.lastModifiedTime().toInstant());
            out.add(entry);
            if (entry.kind() == Kind.REGULAR) {
                totals[0]++;
                totals[1] += attrs.size();
            } else if (entry.kind() == Kind.DIRECTORY && depth < MAX_DEPTH) {
                subdirs.add(name);
            }
        }
        for (String name : subdirs) {
            try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(Path.of(name), NOFOLLOW)) {
                if (!walk(sub, prefix + name + "/", depth + 1, limit, out, totals)) {
                    return false;
                }
            } catch (NoSuchFileException | java.nio.file.NotDirectoryException | java.nio.file.FileSystemLoopException e) {
                // Replaced by something else since we listed it: the next scan sees what it became.
            } catch (java.nio.file.FileSystemException e) {
                if (!isLinkRefusal(e)) {
                    throw e;
                }
            }
        }
        return true;
    }

    private static boolean isLinkRefusal(java.nio.file.FileSystemException e) {
        String reason = e.getReason();
        return reason != null && (reason.contains("symbolic link") || reason.contains("Not a directory"));
    }

    private static Kind kindOf(BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            return Kind.SYMLINK;
        }
        if (attrs.isDirectory()) {
            return Kind.DIRECTORY;
        }
        return attrs.isRegularFile() ? Kind.REGULAR : Kind.OTHER;
    }

    /**
     * The modification time of a directory of the share ({@code ""} for the share folder itself), or null when it is
     * not a directory (gone, replaced by a link or a file). One {@code lstat}, on the calling thread: it opens
     * nothing, so no FIFO or device swapped in can block it, and it reads no content. A directory reached through a
     * link swapped in for the share folder is not told apart here, but the share folder's own entry then is a link
     * and gives null first; callers use this only to decide that a full listing (through
     * {@link SecureDirectoryStream}, as always) can wait.
     */
    public Instant directoryModified(String relativeDir) {
        Path dir = relativeDir.isEmpty() ? root : root.resolve(relativeDir);
        try {
            BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class, NOFOLLOW);
            return attrs.isDirectory() ? attrs.lastModifiedTime().toInstant() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** What reading a file inside the share gave. */
    public sealed interface ReadResult {
        record Content(byte[] bytes, Instant modified) implements ReadResult {
        }

        record NotRegular(Kind kind) implements ReadResult {
        }

        record TooLarge(long size, long limit) implements ReadResult {
        }

        record Missing() implements ReadResult {
        }
    }

    /**
     * Reads a regular file of at most {@code maxBytes}; links, FIFOs, devices and directories are not opened.
     *
     * @throws BlockedReadException when the read did not finish in time: a FIFO swapped in between the type check
     *                              and the open blocks the open itself, which Java cannot make non-blocking
     */
    public ReadResult read(String relativePath, long maxBytes) throws IOException {
        List<String> parts = RelativePath.split(relativePath);
        return Bounded.call(() -> readNow(parts, maxBytes), relativePath);
    }

    private ReadResult readNow(List<String> parts, long maxBytes) throws IOException {
        try (SecureDirectoryStream<Path> dir = openParent(parts)) {
            if (dir == null) {
                return new ReadResult.Missing();
            }
            Path name = Path.of(parts.get(parts.size() - 1));
            BasicFileAttributes attrs;
            try {
                attrs = dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
            } catch (NoSuchFileException e) {
                return new ReadResult.Missing();
            }
            Kind kind = kindOf(attrs);
            if (kind != Kind.REGULAR) {
                return new ReadResult.NotRegular(kind);
            }
            if (attrs.size() > maxBytes) {
                return new ReadResult.TooLarge(attrs.size(), maxBytes);
            }
            Set<OpenOption> options = Set.of(StandardOpenOption.READ, NOFOLLOW);
            try (SeekableByteChannel channel = dir.newByteChannel(name, options)) {
                // Read one byte past the limit: the file may have grown since the stat. The buffer starts at the
                // size the stat gave (plus that byte) and grows only if the file did: a buffer of the limit for every
                // read was the largest allocation of a burst (64 KiB per .trophy, 1 MiB per .asc).
                long limit = Math.min(maxBytes + 1, Integer.MAX_VALUE - 8);
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(limit, attrs.size() + 1));
                while (channel.read(buffer) >= 0) {
                    if (!buffer.hasRemaining()) {
                        if (buffer.capacity() >= limit) {
                            break;
                        }
                        ByteBuffer larger = ByteBuffer.allocate((int) Math.min(limit, 2L * buffer.capacity()));
                        buffer = larger.put(buffer.flip());
                    }
                }
                if (buffer.position() > maxBytes) {
                    return new ReadResult.TooLarge(buffer.position(), maxBytes);
                }
                byte[] bytes = new byte[buffer.position()];
                buffer.flip().get(bytes);
                return new ReadResult.Content(bytes, attrs.lastModifiedTime().toInstant());
            } catch (NoSuchFileException e) {
                return new ReadResult.Missing();
            } catch (java.nio.file.FileSystemException e) {
                if (isLinkRefusal(e)) {
                    return new ReadResult.NotRegular(Kind.SYMLINK);
                }
                throw e;
            }
        }
    }

    /**
     * Writes one of the server's own files: a temporary file in the same directory, flushed to disk, then renamed
     * over the target, so a reader (or a crash) only ever sees the old file or the complete new one. The directory
     * is not fsynced: a rename lost to a power cut leaves the ledger saying "signed" without the file, which the
     * next rescan notices and writes again (it cost a third of the write time).
     */
    public void writeAtomically(String relativePath, byte[] content) throws IOException {
        List<String> parts = RelativePath.split(relativePath);
        requireOwnFile(parts.get(parts.size() - 1));
        Bounded.call(() -> {
            writeNow(parts, content, relativePath, true, null, null);
            return null;
        }, relativePath);
        tell(relativePath);
    }

    /**
     * {@link #writeAtomically}, then removes {@code staleSibling}, another of the server's own files in the same
     * directory (the verdict the new one replaces), in the same walk to the directory and the same hand-off to
     * the share's I/O: one less of each per verdict. Returns whether the sibling was there.
     */
    public boolean writeAtomicallyRemoving(String relativePath, byte[] content, String staleSibling)
            throws IOException {
        List<String> parts = RelativePath.split(relativePath);
        requireOwnFile(parts.get(parts.size() - 1));
        List<String> siblingParts = RelativePath.split(staleSibling);
        String siblingName = siblingParts.get(siblingParts.size() - 1);
        requireOwnFile(siblingName);
        if (!siblingParts.subList(0, siblingParts.size() - 1).equals(parts.subList(0, parts.size() - 1))) {
            throw new IllegalArgumentException(staleSibling + " is not in the directory of " + relativePath);
        }
        boolean removed = Bounded.call(() -> writeNow(parts, content, relativePath, true, null, siblingName),
                relativePath);
        tell(relativePath);
        if (removed) {
            tell(staleSibling);
        }
        return removed;
    }

    /**
     * Creates a file that is not the server's own (a human-issued {@code .trophy}) the same atomic way, but never
     * replaces anything: a name already taken (the user's own file, a link, a FIFO) is refused with
     * {@link FileAlreadyExistsException}, before the temporary file is written and again just before the rename.
     * Java cannot rename without replacing ({@code renameat2(RENAME_NOREPLACE)}), so a file created in the
     * microseconds between that last check and the rename would still be replaced; no sync client writes that fast.
     */
    public void createNew(String relativePath, byte[] content) throws IOException {
        List<String> parts = RelativePath.split(relativePath);
        Bounded.call(() -> {
            writeNow(parts, content, relativePath, false, null, null);
            return null;
        }, relativePath);
        tell(relativePath);
    }

    /**
     * Replaces a file that is not the server's own name but that the server wrote itself (the {@code .trophy} of a
     * revoked human-issued award), the same atomic way, and only while it still holds exactly {@code written}: a
     * file the user changed, or anything else in its place, is theirs and is refused with
     * {@link FileAlreadyExistsException}. Checked before the temporary file is written and again before the rename
     * (the same microseconds-wide window as {@link #createNew}).
     */
    public void replaceWritten(String relativePath, byte[] written, byte[] content) throws IOException {
        List<String> parts = RelativePath.split(relativePath);
        Bounded.call(() -> {
            writeNow(parts, content, relativePath, false, written, null);
            return null;
        }, relativePath);
        tell(relativePath);
    }

    private boolean holds(List<String> parts, byte[] written) throws IOException {
        return readNow(parts, written.length) instanceof ReadResult.Content c && Arrays.equals(c.bytes(), written);
    }

    /** Whether anything (a file, a link, a FIFO, a directory) has this name; links are not followed. */
    public boolean exists(String relativePath) throws IOException {
        List<String> parts = RelativePath.split(relativePath);
        return Bounded.call(() -> {
            try (SecureDirectoryStream<Path> dir = openParent(parts)) {
                return dir != null && taken(dir, parts.get(parts.size() - 1));
            }
        }, relativePath);
    }

    private static boolean taken(SecureDirectoryStream<Path> dir, String fileName) throws IOException {
        try {
            dir.getFileAttributeView(Path.of(fileName), BasicFileAttributeView.class, NOFOLLOW).readAttributes();
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private boolean writeNow(List<String> parts, byte[] content, String relativePath, boolean replace, byte[] written,
                             String thenRemove) throws IOException {
        String fileName = parts.get(parts.size() - 1);
        try (SecureDirectoryStream<Path> dir = openParent(parts)) {
            if (dir == null) {
                throw new NoSuchFileException(relativePath, null, "the folder is gone");
            }
            if (written != null ? !holds(parts, written) : !replace && taken(dir, fileName)) {
                throw new FileAlreadyExistsException(relativePath, null, "the share already has this file; nothing was replaced");
            }
            Path temp = Path.of(TEMP_PREFIX + HexFormat.of().formatHex(randomBytes()) + TEMP_SUFFIX);
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
                if (written != null ? !holds(parts, written) : !replace && taken(dir, fileName)) {
                    throw new FileAlreadyExistsException(relativePath, null, "the share got this file meanwhile; nothing was replaced");
                }
                dir.move(temp, dir, Path.of(fileName));
                renamed = true;
                return thenRemove != null && deleteIn(dir, thenRemove);
            } finally {
                if (!renamed) {
                    try {
                        dir.deleteFile(temp);
                    } catch (IOException ignored) {
                        // best effort: housekeeping removes stale temporaries later
                    }
                }
            }
        }
    }

    /** Removes one of the server's own files; returns whether one was there. */
    public boolean delete(String relativePath) throws IOException {
        List<String> parts = RelativePath.split(relativePath);
        String fileName = parts.get(parts.size() - 1);
        if (!isTemporaryName(fileName)) {
            requireOwnFile(fileName);
        }
        boolean deleted = Bounded.call(() -> deleteNow(parts, fileName), relativePath);
        if (deleted && !isTemporaryName(fileName)) {
            tell(relativePath);
        }
        return deleted;
    }

    private boolean deleteNow(List<String> parts, String fileName) throws IOException {
        try (SecureDirectoryStream<Path> dir = openParent(parts)) {
            return dir != null && deleteIn(dir, fileName);
        }
    }

    private static boolean deleteIn(SecureDirectoryStream<Path> dir, String fileName) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = dir.getFileAttributeView(Path.of(fileName), BasicFileAttributeView.class, NOFOLLOW)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            return false;
        }
        if (attrs.isDirectory()) {
            return false; // never ours
        }
        try {
            dir.deleteFile(Path.of(fileName));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Removes temporary files of ours older than {@code age} (left by a crash mid-write). */
    public int removeTemporaries(Listing listing, Duration age) throws IOException {
        Instant cutoff = Instant.now().minus(age);
        int removed = 0;
        for (Entry entry : listing.entries()) {
            if (entry.kind() == Kind.REGULAR && isTemporaryName(entry.fileName())
                    && !entry.modified().isAfter(cutoff) && delete(entry.path())) {
                removed++;
            }
        }
        return removed;
    }

    private static void requireOwnFile(String fileName) {
        if (!(fileName.endsWith(".trophy.asc") || fileName.endsWith(".trophy.rejected"))) {
            throw new IllegalArgumentException("not a file of the server's: " + fileName);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Opens the share folder itself relative to its parent (the backend's shares directory, which strangers do not
     * write), without following a link: a share folder swapped for a symbolic link is not entered.
     */
    private SecureDirectoryStream<Path> openRoot() throws IOException {
        Path parent = root.getParent();
        if (parent == null) {
            throw new IOException("a share folder cannot be the file-system root");
        }
        DirectoryStream<Path> stream = Files.newDirectoryStream(parent);
        if (!(stream instanceof SecureDirectoryStream<Path> secureParent)) {
            stream.close();
            throw new IOException("this platform offers no SecureDirectoryStream; refusing to touch share files");
        }
        try (secureParent) {
            return secureParent.newDirectoryStream(root.getFileName(), NOFOLLOW);
        } catch (java.nio.file.NotDirectoryException | java.nio.file.FileSystemLoopException e) {
            throw new NoSuchFileException(root.toString(), null, "the share folder is not a directory");
        } catch (java.nio.file.FileSystemException e) {
            if (isLinkRefusal(e)) {
                throw new NoSuchFileException(root.toString(), null, "the share folder is a symbolic link");
            }
            throw e;
        }
    }

    /** Opens the directory holding the last part of the path, or null when some part of the way is missing. */
    private SecureDirectoryStream<Path> openParent(List<String> parts) throws IOException {
        SecureDirectoryStream<Path> dir = openRoot();
        try {
            for (int i = 0; i < parts.size() - 1; i++) {
                SecureDirectoryStream<Path> next;
                try {
                    next = dir.newDirectoryStream(Path.of(parts.get(i)), NOFOLLOW);
                } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
                    dir.close();
                    return null;
                } catch (java.nio.file.FileSystemException e) {
                    if (isLinkRefusal(e)) {
                        dir.close();
                        return null;
                    }
                    throw e;
                }
                dir.close();
                dir = next;
            }
            return dir;
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }


}
