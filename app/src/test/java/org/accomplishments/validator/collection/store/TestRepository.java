package org.accomplishments.validator.collection.store;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A real git repository made by a test, written object by object with JGit: so a test can commit what no careful
 * git client would (a symbolic link, a ".." entry) and move a branch after a submission.
 */
public final class TestRepository implements AutoCloseable {
    /** One file of a commit: content and git mode. */
    public record Content(byte[] bytes, FileMode mode) {
        public static Content text(String text) {
            return new Content(text.getBytes(StandardCharsets.UTF_8), FileMode.REGULAR_FILE);
        }

        public static Content executable(String text) {
            return new Content(text.getBytes(StandardCharsets.UTF_8), FileMode.EXECUTABLE_FILE);
        }

        public static Content symlink(String target) {
            return new Content(target.getBytes(StandardCharsets.UTF_8), FileMode.SYMLINK);
        }
    }

    public final Path dir;
    private final Git git;
    private ObjectId head;

    public TestRepository(Path dir) throws Exception {
        this.dir = dir;
        this.git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    }

    public String url() {
        return dir.toUri().toString();
    }

    /** The example collection of this repository with a manifest, as a map of files. */
    public static Map<String, Content> exampleCollection(String version) {
        Map<String, Content> files = new TreeMap<>();
        files.put("accomplishments-collection.json", Content.text(manifest("example", version)));
        files.put("accomplishments/example/ABOUT", Content.text("[general]\nname = Example Collection\nlangdefault = en\n"));
        files.put("accomplishments/example/en/registered-email.accomplishment", Content.text("""
                [accomplishment]
                title = Registered an e-mail address
                description = You told the validation server which e-mail address is yours
                collection = example
                category = Getting Started
                needs-signing = true
                needs-information = email
                """));
        files.put("accomplishments/example/extrainformation/email", Content.text("""
                [label]
                label = E-mail address
                [description]
                description = The address you registered
                """));
        files.put("scripts/example/registered-email.sh", Content.executable("#!/bin/sh\nexit 0\n"));
        files.put("README", Content.text("not installed\n"));
        return files;
    }

    public static String manifest(String id, String version) {
        return "{\"schema\": 1, \"id\": \"" + id + "\", \"version\": \"" + version + "\", \"name\": \"Example\","
                + " \"author\": \"Jane Author <jane@example.org>\", \"license\": \"GPL-3.0-or-later\","
                + " \"description\": \"A small collection for tests\", \"homepage\": \"https://example.org/\"}";
    }

    /** Every file of {@code tree} (a folder on disk) as regular or executable files. */
    public static Map<String, Content> fromFolder(Path tree) throws IOException {
        Map<String, Content> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(tree.relativize(p).toString(), new Content(Files.readAllBytes(p),
                        Files.isExecutable(p) ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE));
            }
        }
        return files;
    }

    static final String FIXTURE = "shared/fixtures/ubuntu-community-accomplishments";

    public static Path fixture() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(FIXTURE))) {
                return dir.resolve(FIXTURE);
            }
        }
        throw new IllegalStateException("no " + FIXTURE + " above the working directory");
    }

    /** The fixture as its author would publish it: the 2012 tree, a manifest, a logic script per accomplishment. */
    public static Map<String, Content> ubuntuCommunity(String version) throws IOException {
        Map<String, Content> files = TestRepository.fromFolder(fixture());
        files.put("accomplishments-collection.json", Content.text("{\"schema\": 1, \"id\": \"ubuntu-community\","
                + " \"version\": \"" + version + "\", \"name\": \"Ubuntu Community\","
                + " \"author\": \"Ubuntu Accomplishments contributors\", \"license\": \"GPL-3.0\","
                + " \"description\": \"Trophies for contributing to the Ubuntu community\","
                + " \"homepage\": \"https://launchpad.net/ubuntu-community-accomplishments\"}"));
        try (Stream<Path> definitions = Files.walk(fixture().resolve("accomplishments/ubuntu-community/en"))) {
            for (Path d : definitions.filter(p -> p.toString().endsWith(".accomplishment")).toList()) {
                String name = d.getFileName().toString().replace(".accomplishment", "");
                files.put("scripts/ubuntu-community/" + name + ".sh", Content.executable("#!/bin/sh\nexit 0\n"));
            }
        }
        return files;
    }

    /** Commits exactly {@code files} on {@code branch} (a child of the previous commit); returns the commit id. */
    public ObjectId commit(String branch, Map<String, Content> files) throws IOException {
        Repository repo = git.getRepository();
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            ObjectId tree = tree(inserter, nest(files));
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            PersonIdent who = new PersonIdent("Jane Author", "jane@example.org");
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage("release\n");
            if (head != null) {
                commit.setParentId(head);
            }
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            setRef(Constants.R_HEADS + branch, id);
            head = id;
            return id;
        }
    }

    public void tag(String name, ObjectId commit) throws IOException {
        setRef(Constants.R_TAGS + name, commit);
    }

    /** Points {@code branch} at {@code commit} whatever it pointed at (a force-push). */
    public void forceBranch(String branch, ObjectId commit) throws IOException {
        setRef(Constants.R_HEADS + branch, commit);
        head = commit;
    }

    private void setRef(String name, ObjectId id) throws IOException {
        RefUpdate update = git.getRepository().updateRef(name);
        update.setNewObjectId(id);
        update.setForceUpdate(true);
        RefUpdate.Result result = update.update();
        if (result == RefUpdate.Result.REJECTED || result == RefUpdate.Result.IO_FAILURE
                || result == RefUpdate.Result.LOCK_FAILURE) {
            throw new IOException("ref update " + name + ": " + result);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> nest(Map<String, Content> files) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (var e : files.entrySet()) {
            String[] parts = e.getKey().split("/");
            Map<String, Object> dir = root;
            for (int i = 0; i < parts.length - 1; i++) {
                dir = (Map<String, Object>) dir.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
            }
            dir.put(parts[parts.length - 1], e.getValue());
        }
        return root;
    }

    @SuppressWarnings("unchecked")
    private static ObjectId tree(ObjectInserter inserter, Map<String, Object> entries) throws IOException {
        List<String> names = new ArrayList<>(entries.keySet());
        // git's order: a folder sorts as if its name ended in '/'
        names.sort(Comparator.comparing(n -> entries.get(n) instanceof Map ? n + "/" : n));
        TreeFormatter formatter = new TreeFormatter();
        for (String name : names) {
            Object value = entries.get(name);
            if (value instanceof Map<?, ?> sub) {
                formatter.append(name, FileMode.TREE, tree(inserter, (Map<String, Object>) sub));
            } else {
                Content c = (Content) value;
                formatter.append(name, c.mode(), inserter.insert(Constants.OBJ_BLOB, c.bytes()));
            }
        }
        return inserter.insert(formatter);
    }

    @Override
    public void close() {
        git.close();
    }

    static void uncheck(IOException e) {
        throw new UncheckedIOException(e);
    }
}
