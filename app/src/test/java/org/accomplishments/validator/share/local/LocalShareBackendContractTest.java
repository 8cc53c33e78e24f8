package org.accomplishments.validator.share.local;

import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareBackendContract;
import org.accomplishments.validator.share.ShareOffer;
import org.accomplishments.validator.share.ShareSettings;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;

class LocalShareBackendContractTest extends ShareBackendContract {
    @TempDir
    Path root;
    private LocalShareBackend backend;

    @Override
    protected ShareBackend backend() {
        if (backend == null) {
            ShareSettings settings = new ShareSettings() {
                @Override public String getBackend() { return "local"; }
                @Override public Duration getOfferInterval() { return Duration.ofMinutes(1); }
                @Override public Duration getRescanInterval() { return Duration.ofMinutes(1); }
                @Override public boolean isEvents() { return true; }
                @Override public Duration getDebounce() { return Duration.ofMillis(20); }
                @Override public long getMaxTrophyBytes() { return 65536; }
            };
            backend = new LocalShareBackend(() -> root, settings);
            backend.start(events);
        }
        return backend;
    }

    @Override
    protected String offerShare(String owner, String name) throws Exception {
        String id = UUID.randomUUID().toString();
        Files.createDirectories(root.resolve(name + " (" + owner + ", " + id + ")"));
        return id;
    }

    @Override
    protected Path claimAgain(String shareId, String visibleName, String name) throws Exception {
        return Files.createDirectories(root.resolve(name + " (" + visibleName + ", " + shareId + ")"));
    }

    @Override
    protected void deliver(ShareOffer share, String relativePath, byte[] content) throws Exception {
        // The way sync tools deliver: a hidden temporary file, then a rename into place.
        Path target = share.folder().resolve(relativePath);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(".partial-" + UUID.randomUUID());
        Files.write(temp, content);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
