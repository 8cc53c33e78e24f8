package org.accomplishments.validator.share.syncthing;

import io.micronaut.json.JsonMapper;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareBackendContract;
import org.accomplishments.validator.share.ShareOffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;


/**
 * The shared contract against two real Syncthing instances on loopback: the appliance's, which the backend drives,
 * and one user's, whose folders are the offers. The owner of every share is the user's device id.
 */
class SyncthingShareBackendContractTest extends ShareBackendContract {
    @TempDir
    static Path dir;
    private static TestSyncthing appliance;
    private static TestSyncthing user;
    private static final Map<String, Path> userFolders = new ConcurrentHashMap<>();
    private SyncthingShareBackend backend;

    @BeforeAll
    static void startSyncthing() throws Exception {
        appliance = new TestSyncthing(dir.resolve("appliance"), "appliance").start();
        user = new TestSyncthing(dir.resolve("user"), "user").start();
        user.addDevice(appliance);
    }

    @AfterAll
    static void stopSyncthing() {
        if (user != null) {
            user.stop();
        }
        if (appliance != null) {
            appliance.stop();
        }
    }

    @Override
    protected ShareBackend backend() {
        if (backend == null) {
            backend = new SyncthingShareBackend(SyncthingTestSettings.of(appliance, dir.resolve("shares")),
                    SyncthingTestSettings.shareSettings(true), JsonMapper.createDefault());
            backend.start(events);
        }
        return backend;
    }

    /**
     * A second folder cannot claim a Syncthing share id: the id is {@code st:<device id>:<folder id>} and the device
     * id is the offering device's certificate hash, so another device offering the same folder id is another share,
     * refused {@code folder-id-in-use} (SyncthingScenariosTest proves nothing of the first share reaches it).
     */
    @Override
    protected java.nio.file.Path claimAgain(String shareId, String visibleName, String name) {
        throw new org.opentest4j.TestAbortedException("not applicable: a Syncthing share id names the offering device, "
                + "which another device cannot forge; the same folder id from another device is refused folder-id-in-use");
    }

    @Override
    protected String expectedOwner(String owner) {
        return user.deviceId;
    }

    @Override
    protected String offerShare(String owner, String name) throws Exception {
        String folderId = "accomplishments-" + UUID.randomUUID();
        Path path = dir.resolve("user-folders").resolve(folderId);
        userFolders.put(folderId, path);
        user.shareFolder(folderId, name, path, appliance.deviceId, null);
        String shareId = SyncthingLayout.shareId(user.deviceId, folderId);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            // offers() also adds the user's device when it first dials in; then its folder offer arrives.
            if (backend().offers().stream().anyMatch(o -> o.shareId().equals(shareId))) {
                return shareId;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the folder " + folderId + " was never offered to the appliance");
    }

    @Override
    protected void deliver(ShareOffer share, String relativePath, byte[] content) throws Exception {
        String folderId = SyncthingLayout.parse(share.shareId()).orElseThrow().folder();
        user.write(folderId, userFolders.get(folderId), relativePath, content);
        Path arrived = share.folder().resolve(relativePath);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(arrived) && Arrays.equals(Files.readAllBytes(arrived), content)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(relativePath + " never synced to the appliance");
    }
}
