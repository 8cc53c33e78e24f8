package org.accomplishments.validator.collection.store;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.util.FS;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A collection's git repository fetched into a private bare repository with JGit: every branch and tag, no work
 * tree, no checkout, no hooks, no filters, so nothing of the repository runs. Only {@code file://} (an existing git
 * repository) and {@code https://} sources are accepted.
 */
public final class GitSource implements AutoCloseable {
    private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");
    private static final String HEADS = "refs/store-source/heads/";
    private static final String TAGS = "refs/store-source/tags/";

    private final Path dir;
    private final Git git;

    private GitSource(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    /** Refuses a source the store does not fetch from, with the reason. */
    public static void checkSource(String source) throws StoreRefusal {
        URI uri;
        try {
            uri = new URI(source);
        } catch (Exception e) {
            throw new StoreRefusal("unsupported-source", "not a URL: '" + source + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        switch (scheme) {
            case "https" -> {
                if (uri.getHost() == null || uri.getUserInfo() != null) {
                    throw new StoreRefusal("unsupported-source", "an https:// source needs a host and no user name: '"
                            + source + "'");
                }
            }
            case "file" -> {
                if (uri.getHost() != null && !uri.getHost().isEmpty() || uri.getPath() == null) {
                    throw new StoreRefusal("unsupported-source", "a file:// source is file:///absolute/path: '" + source + "'");
                }
                File path = new File(uri.getPath());
                if (RepositoryCache.FileKey.resolve(path, FS.DETECTED) == null) {
                    throw new StoreRefusal("not-a-git-repository", uri.getPath() + " is not a git repository"
                            + (path.exists() ? "" : " (it does not exist)"));
                }
            }
            default -> throw new StoreRefusal("unsupported-source", "only file:// and https:// git sources are fetched, not '"
                    + (scheme.isEmpty() ? source : scheme + "://") + "'");
        }
    }

    /** Fetches every branch and tag of {@code source} into a new bare repository under {@code workDir}. */
    public static GitSource fetch(String source, Path workDir, Duration timeout) throws StoreRefusal {
        checkSource(source);
        Path dir;
        try {
            Files.createDirectories(workDir);
            dir = Files.createTempDirectory(workDir, "git-");
        } catch (IOException e) {
            throw new StoreRefusal("fetch-failed", "cannot create a work folder in " + workDir + ": " + e.getMessage());
        }
        Git git = null;
        try {
            git = Git.init().setBare(true).setDirectory(dir.toFile()).call();
            // No automatic gc in a throwaway repository: JGit would run it in the background as it is deleted.
            git.getRepository().getConfig().setInt("gc", null, "auto", 0);
            git.getRepository().getConfig().setBoolean("fetch", null, "fsckObjects", false);
            git.getRepository().getConfig().save();
            git.fetch().setRemote(source)
                    .setRefSpecs(new RefSpec("+refs/heads/*:" + HEADS + "*"), new RefSpec("+refs/tags/*:" + TAGS + "*"))
                    .setTagOpt(TagOpt.NO_TAGS)
                    .setTimeout((int) Math.max(1, timeout.toSeconds()))
                    .call();
            return new GitSource(dir, git);
        } catch (Exception e) {
            if (git != null) {
                git.close();
            }
            deleteTree(dir);
            throw new StoreRefusal("fetch-failed", "fetching " + source + " failed: " + e.getMessage());
        }
    }

    public Repository repository() {
        return git.getRepository();
    }

    /** A tag, then a branch, then a full 40-digit commit id; the commit it names. */
    public Optional<ObjectId> resolve(String ref) throws IOException {
        Repository repo = repository();
        for (String candidate : new String[] {TAGS + ref, HEADS + ref}) {
            Ref found = repo.exactRef(candidate);
            if (found != null) {
                return commitOf(found.getObjectId());
            }
        }
        if (FULL_SHA.matcher(ref).matches()) {
            return commitOf(ObjectId.fromString(ref));
        }
        return Optional.empty();
    }

    /** The commit {@code id}, if the fetched history holds it (a commit force-pushed away is gone). */
    public Optional<ObjectId> commitOf(ObjectId id) throws IOException {
        if (!repository().getObjectDatabase().has(id)) {
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(repository())) {
            RevObject object = walk.peel(walk.parseAny(id));
            return object instanceof RevCommit commit ? Optional.of(commit.getId()) : Optional.empty();
        }
    }

    public ObjectId treeOf(ObjectId commit) throws IOException {
        try (RevWalk walk = new RevWalk(repository())) {
            return walk.parseCommit(commit).getTree().getId();
        }
    }

    static boolean isFullCommitId(String text) {
        return FULL_SHA.matcher(text).matches() && !ObjectId.zeroId().name().equals(text) && text.equals(text.toLowerCase())
                && Constants.OBJECT_ID_STRING_LENGTH == text.length();
    }

    @Override
    public void close() {
        git.close();
        deleteTree(dir);
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // left for the next clean-up; a work folder never holds anything anyone needs
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }
}
