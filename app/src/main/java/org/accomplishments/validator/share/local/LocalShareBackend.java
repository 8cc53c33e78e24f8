package org.accomplishments.validator.share.local;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.accomplishments.validator.share.AcceptOutcome;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareBackendException;
import org.accomplishments.validator.share.ShareEvents;
import org.accomplishments.validator.share.ShareFolder;
import org.accomplishments.validator.share.ShareOffer;
import org.accomplishments.validator.share.ShareSettings;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded default backend: a local folder tree whose sub-directories are shares (filled by any sync tool,
 * rsync, or by hand). A new directory is an offer; accepting or declining changes nothing on disk.
 */
@Singleton
@Requires(property = "validator.shares.backend", value = "local", defaultValue = "local")
public class LocalShareBackend implements ShareBackend {
    public static final String NAME = "local";
    /** Offers listed per call at most: a root with more directories than this is served over several ticks. */
    private static final int MAX_OFFERS = 100_000;

    private final Path root;
    private final ShareSettings settings;
    private LocalShareWatcher watcher;

    public LocalShareBackend(LocalShareSettings local, ShareSettings settings) {
        this.root = local.getRoot().toAbsolutePath().normalize();
        this.settings = settings;
    }

    @Override
    public java.util.List<Path> roots() {
        return java.util.List.of(root);
    }

    public Path root() {
        return root;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void start(ShareEvents events) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the share root " + root + ": " + e.getMessage(), e);
        }
        if (settings.isEvents() && watcher == null) {
            watcher = new LocalShareWatcher(root, settings.getDebounce(), events);
            watcher.start();
        }
    }

    @Override
    public List<ShareOffer> offers() throws ShareBackendException {
        List<ShareOffer> offers = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                String dirName = child.getFileName().toString();
                if (dirName.startsWith(".")) {
                    continue; // hidden: not a share (editors, sync tools' own state)
                }
                if (offers.size() >= MAX_OFFERS) {
                    break;
                }
                ShareDirectoryName parsed = ShareDirectoryName.parse(dirName);
                offers.add(new ShareOffer(parsed.shareId(), parsed.owner(), parsed.visibleName(), parsed.shareName(),
                        child, false));
            }
        } catch (IOException e) {
            throw new ShareBackendException("cannot list the share root " + root + ": " + e.getMessage(), e);
        }
        return offers;
    }

    @Override
    public AcceptOutcome accept(ShareOffer offer) {
        if (Files.isSymbolicLink(offer.folder())) {
            return new AcceptOutcome.Failed("the share folder is a symbolic link", false);
        }
        if (!Files.isDirectory(offer.folder(), LinkOption.NOFOLLOW_LINKS)) {
            return new AcceptOutcome.Failed("the share folder is not a directory", false);
        }
        if (watcher != null) {
            watcher.watchShare(offer.shareId(), offer.folder());
        }
        return AcceptOutcome.accepted();
    }

    @Override
    public void decline(ShareOffer offer) {
        // Nothing to tell anyone: a refused directory is simply never read.
    }

    @Override
    public ShareFolder folder(Share share) {
        return new ShareFolder(share.folder());
    }

    @Override
    public void follow(Share share) {
        if (watcher != null) {
            watcher.watchShare(share.id(), share.folder());
        }
    }

    @Override
    public BackendHealth health() {
        if (!Files.isDirectory(root)) {
            return new BackendHealth(false, "share root " + root + " is missing");
        }
        String events = watcher == null ? "file events off (timers only)" : watcher.describe();
        return new BackendHealth(true, "share root " + root + "; " + events);
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }
}
