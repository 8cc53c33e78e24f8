package org.accomplishments.validator.collection.store;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tree of one commit of a collection's repository, read object by object (never checked out) and checked as
 * hostile input: only regular files and directories (no symlinks, submodules or anything else), every name a
 * plain UTF-8 component (no {@code ..}, {@code .}, {@code .git}, slash, backslash, control characters), depth,
 * file-count and size caps. The part that is installed is the manifest plus {@code accomplishments/<id>/},
 * {@code scripts/<id>/} and {@code tests/<id>/}; its canonical hash is what the index pins (docs/collections.md).
 */
public final class CollectionTree {
    public static final int MAX_DEPTH = 12;

    /** One regular file of the tree. */
    public record TreeFile(String path, boolean executable, ObjectId blob, long size) {
    }

    /** Caps on a submitted or installed tree. */
    public record Limits(int maxFiles, long maxBytes) {
        public static final Limits DEFAULT = new Limits(10_000, 64L * 1024 * 1024);
    }

    private final Repository repository;
    private final TreeMap<String, TreeFile> files;
    private final List<Reason> problems;

    private CollectionTree(Repository repository, TreeMap<String, TreeFile> files, List<Reason> problems) {
        this.repository = repository;
        this.files = files;
        this.problems = problems;
    }

    /** Reads and checks the whole tree of {@code commit}; problems are collected, not thrown. */
    public static CollectionTree read(Repository repository, ObjectId tree, Limits limits) throws IOException {
        TreeMap<String, TreeFile> files = new TreeMap<>();
        List<Reason> problems = new ArrayList<>();
        long bytes = 0;
        boolean countReported = false;
        boolean sizeReported = false;
        try (ObjectReader reader = repository.newObjectReader(); TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(false);
            while (walk.next()) {
                byte[] raw = walk.getRawPath();
                org.eclipse.jgit.treewalk.AbstractTreeIterator entry =
                        walk.getTree(0, org.eclipse.jgit.treewalk.AbstractTreeIterator.class);
                byte[] name = new byte[entry.getNameLength()];
                entry.getName(name, 0);
                String path = decode(raw, walk.getPathLength());
                Optional<String> unsafe = unsafeName(name);
                if (unsafe.isPresent()) {
                    problems.add(new Reason("unsafe-path", "'" + printable(path) + "': " + unsafe.get()));
                    continue;
                }
                if (walk.getDepth() >= MAX_DEPTH) {
                    problems.add(new Reason("unsafe-path", "'" + path + "' is nested deeper than " + MAX_DEPTH + " folders"));
                    continue;
                }
                FileMode mode = walk.getFileMode(0);
                if (mode == FileMode.TREE) {
                    walk.enterSubtree();
                    continue;
                }
                if (mode == FileMode.SYMLINK) {
                    problems.add(new Reason("not-a-regular-file", "'" + path + "' is a symbolic link"));
                    continue;
                }
                if (mode == FileMode.GITLINK) {
                    problems.add(new Reason("not-a-regular-file", "'" + path + "' is a submodule"));
                    continue;
                }
                if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                    problems.add(new Reason("not-a-regular-file", "'" + path + "' has mode " + mode
                            + ", not a regular file"));
                    continue;
                }
                ObjectId blob = walk.getObjectId(0);
                long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
                if (files.size() >= limits.maxFiles()) {
                    if (!countReported) {
                        problems.add(new Reason("too-many-files", "more than " + limits.maxFiles() + " files"));
                        countReported = true;
                    }
                    continue;
                }
                bytes += size;
                if (bytes > limits.maxBytes() && !sizeReported) {
                    problems.add(new Reason("too-large", "more than " + limits.maxBytes() + " bytes of files"));
                    sizeReported = true;
                }
                files.put(path, new TreeFile(path, mode == FileMode.EXECUTABLE_FILE, blob, size));
            }
        }
        return new CollectionTree(repository, files, problems);
    }

    public List<Reason> problems() {
        return problems;
    }

    public Optional<TreeFile> file(String path) {
        return Optional.ofNullable(files.get(path));
    }

    public byte[] bytes(TreeFile file) throws IOException {
        try (ObjectReader reader = repository.newObjectReader()) {
            return reader.open(file.blob(), Constants.OBJ_BLOB).getCachedBytes(Integer.MAX_VALUE);
        }
    }

    /**
     * The files that are installed for collection {@code id}, and a {@code id-mismatch} reason for every other
     * collection folder (or a missing {@code accomplishments/<id>/}).
     */
    public Installable installable(String id) {
        List<TreeFile> selected = new ArrayList<>();
        List<Reason> reasons = new ArrayList<>();
        java.util.Set<String> others = new java.util.TreeSet<>();
        boolean hasDefinitions = false;
        for (TreeFile file : files.values()) {
            String path = file.path();
            if (path.equals(CollectionManifest.FILE)) {
                selected.add(file);
                continue;
            }
            int slash = path.indexOf('/');
            String top = slash < 0 ? path : path.substring(0, slash);
            if (!(top.equals("accomplishments") || top.equals("scripts") || top.equals("tests")) || slash < 0) {
                continue; // README, LICENSE, debian/ ...: not part of the installed collection
            }
            String rest = path.substring(slash + 1);
            int second = rest.indexOf('/');
            String collection = second < 0 ? rest : rest.substring(0, second);
            if (second < 0 || !collection.equals(id)) {
                others.add(top + "/" + collection);
                continue;
            }
            hasDefinitions |= top.equals("accomplishments");
            selected.add(file);
        }
        for (String other : others) {
            reasons.add(new Reason("id-mismatch", "'" + other + "' is not part of collection '" + id
                    + "' (a repository holds one collection, named by the manifest's id)"));
        }
        if (!hasDefinitions) {
            reasons.add(new Reason("id-mismatch", "no folder accomplishments/" + id + "/ for the manifest's id '" + id + "'"));
        }
        return new Installable(selected, reasons);
    }

    /** The installed part of a tree. */
    public final class Installable {
        private final List<TreeFile> files;
        private final List<Reason> reasons;

        Installable(List<TreeFile> files, List<Reason> reasons) {
            this.files = List.copyOf(files);
            this.reasons = List.copyOf(reasons);
        }

        public List<TreeFile> files() {
            return files;
        }

        public List<Reason> reasons() {
            return reasons;
        }

        public long bytes() {
            return files.stream().mapToLong(TreeFile::size).sum();
        }

        /**
         * sha256 over the lines {@code <644|755> <sha256 of the file> <path>\n}, sorted by path (UTF-8 byte order,
         * as git sorts them), hex. Recomputable from any checkout: see docs/collections.md.
         */
        public String canonicalSha256() throws IOException {
            MessageDigest listing = sha256();
            try (ObjectReader reader = repository.newObjectReader()) {
                for (TreeFile file : files) {
                    MessageDigest content = sha256();
                    content.update(reader.open(file.blob(), Constants.OBJ_BLOB).getCachedBytes(Integer.MAX_VALUE));
                    listing.update(((file.executable() ? "755" : "644") + " " + HexFormat.of().formatHex(content.digest())
                            + " " + file.path() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(listing.digest());
        }

        /**
         * Writes the files under {@code target} (which must not exist yet): folders 0755, files 0644 or 0755, each
         * created new, written and flushed to disk. Nothing is run and no link is followed.
         */
        public void writeTo(Path target) throws IOException {
            Files.createDirectory(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Path root = target.toRealPath();
            java.util.Set<Path> made = new java.util.HashSet<>();
            made.add(root);
            try (ObjectReader reader = repository.newObjectReader()) {
                for (TreeFile file : files) {
                    Path destination = root.resolve(file.path()).normalize();
                    if (!destination.startsWith(root) || destination.equals(root)) {
                        throw new IOException("refusing to write outside " + root + ": " + file.path());
                    }
                    makeParents(destination.getParent(), made);
                    String mode = file.executable() ? "rwxr-xr-x" : "rw-r--r--";
                    try (FileChannel out = FileChannel.open(destination, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
                         OutputStream stream = java.nio.channels.Channels.newOutputStream(out)) {
                        reader.open(file.blob(), Constants.OBJ_BLOB).copyTo(stream);
                        stream.flush();
                        out.force(true);
                    }
                    // The umask may have narrowed the mode given at creation.
                    Files.setPosixFilePermissions(destination, PosixFilePermissions.fromString(mode));
                }
            }
            for (Path dir : made) {
                fsyncDirectory(dir);
            }
        }

        private void makeParents(Path dir, java.util.Set<Path> made) throws IOException {
            if (made.contains(dir)) {
                return;
            }
            makeParents(dir.getParent(), made);
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            made.add(dir);
        }
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> unsafeName(byte[] name) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(name)).toString();
        } catch (CharacterCodingException e) {
            return Optional.of("the name is not UTF-8");
        }
        if (text.isEmpty()) {
            return Optional.of("an empty name (an absolute path)");
        }
        if (text.equals(".") || text.equals("..")) {
            return Optional.of("'" + text + "' leads out of its folder");
        }
        if (text.indexOf('/') >= 0 || text.indexOf('\\') >= 0) {
            return Optional.of("a name with a slash or backslash (an absolute or escaping path)");
        }
        if (text.toLowerCase(Locale.ROOT).equals(".git")) {
            return Optional.of("a .git entry");
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("a name with control characters");
        }
        if (text.length() > 255) {
            return Optional.of("a name longer than 255 characters");
        }
        return Optional.empty();
    }

    private static String decode(byte[] raw, int length) {
        return new String(raw, 0, length, StandardCharsets.UTF_8);
    }

    private static String printable(String path) {
        StringBuilder out = new StringBuilder();
        path.codePoints().forEach(c -> out.append(c < 0x20 || c == 0x7f ? "?" : Character.toString(c)));
        return out.toString();
    }
}
