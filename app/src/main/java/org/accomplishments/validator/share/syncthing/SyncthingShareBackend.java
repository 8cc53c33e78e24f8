package org.accomplishments.validator.share.syncthing;

import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.accomplishments.validator.share.AcceptOutcome;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.share.ShareBackend;
import org.accomplishments.validator.share.ShareBackendException;
import org.accomplishments.validator.share.ShareEvents;
import org.accomplishments.validator.share.ShareFolder;
import org.accomplishments.validator.share.ShareOffer;
import org.accomplishments.validator.share.ShareSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The appliance's own Syncthing as a share backend, over its REST API (syncthing.md). A device that dials in is
 * added (or ignored, by the device lists); each folder it then offers is a share offer for the core's policy.
 * Accepting writes the allow-list {@code .stignore} into a directory derived from the ids and adds the folder shared
 * with that one device; refusing puts the folder on the device's ignore list, so the offer never comes back.
 *
 * <p>Never set here: {@code autoAcceptFolders}, introducers, a second device on an existing folder. Syncthing shares
 * a folder it already has with whoever offers the same id (the measured cross-user leak); a known id is refused.
 */
@Singleton
@Requires(property = "validator.shares.backend", value = SyncthingShareBackend.NAME)
public class SyncthingShareBackend implements ShareBackend {
    public static final String NAME = "syncthing";
    /** Refusal reasons of this backend (the core's policy gives its own). */
    public static final String FOLDER_ID_IN_USE = "folder-id-in-use";
    public static final String ENCRYPTED_OFFER = "encrypted-offer";
    public static final String DEVICE_DENIED = "device-denied";
    public static final String DEVICE_NOT_ALLOWED = "device-not-allowed";
    public static final String NOT_A_DEVICE_ID = "not-a-device-id";

    private static final Logger LOG = LoggerFactory.getLogger(SyncthingShareBackend.class);
    private static final int MAX_LABEL = 200;

    private final SyncthingSettings settings;
    private final ShareSettings shareSettings;
    private final SyncthingLayout layout;
    private final SyncthingClient client;
    private final Set<String> deviceAllow;
    private final Set<String> deviceDeny;
    private final ScanRequests scans;
    /** Every configuration change goes through here: Syncthing's config is one document. */
    private final Object configLock = new Object();
    /** Our folders as Syncthing has them: folder id → share id. */
    private final Map<String, String> shareOfFolder = new ConcurrentHashMap<>();
    /** Devices refused by the device lists: id → reason (kept for health; Syncthing keeps them ignored). */
    private final Map<String, String> refusedDevices = new ConcurrentHashMap<>();
    private final SyncthingEventLoop eventLoop;
    private volatile ShareEvents events;
    private volatile Status status = Status.unknown();
    private volatile long lastProbeNanos;
    private volatile String expectedDeviceId;

    /** What the last call to Syncthing showed. */
    record Status(boolean up, String detail, String myId, String startTime, long uptime) {
        static Status unknown() {
            return new Status(false, "not reached yet", null, null, 0);
        }
    }

    public SyncthingShareBackend(SyncthingSettings settings, ShareSettings shareSettings, JsonMapper json) {
        this.settings = settings;
        this.shareSettings = shareSettings;
        this.layout = new SyncthingLayout(settings.getRoot());
        this.client = new SyncthingClient(URI.create(settings.getUrl()), this::apiKey, json, settings.getCallTimeout());
        this.deviceAllow = deviceIds("device-allow", settings.getDeviceAllow());
        this.deviceDeny = deviceIds("device-deny", settings.getDeviceDeny());
        this.scans = new ScanRequests(client);
        this.eventLoop = new SyncthingEventLoop(this, client, settings);
    }

    private static Set<String> deviceIds(String setting, List<String> ids) {
        if (ids == null) {
            return Set.of();
        }
        Set<String> out = ids.stream().map(id -> id.strip().toUpperCase(Locale.ROOT)).filter(id -> !id.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        for (String id : out) {
            if (!SyncthingLayout.isDeviceId(id)) {
                throw new IllegalArgumentException("validator.shares.syncthing." + setting + ": '" + id
                        + "' is not a Syncthing device id (eight groups of seven characters, e.g. ABCDEFG-...)");
            }
        }
        return out;
    }

    private String apiKey() {
        String key = settings.getApiKey();
        if (key != null && !key.isBlank()) {
            return key.strip();
        }
        Path file = settings.getApiKeyFile();
        if (file == null || file.toString().isBlank()) {
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public java.util.List<Path> roots() {
        return java.util.List.of(layout.root()); // the file system verdicts are written to: watched for free space
    }

    public Path root() {
        return layout.root();
    }

    @Override
    public synchronized void start(ShareEvents events) {
        if (this.events != null) {
            return;
        }
        this.events = events;
        try {
            Files.createDirectories(layout.root());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the Syncthing share root " + layout.root() + ": "
                    + e.getMessage(), e);
        }
        expectedDeviceId = readExpectedDeviceId();
        if (shareSettings.isEvents()) {
            eventLoop.start();
        }
    }

    ShareEvents events() {
        return events;
    }

    // ---- status, health ----

    /** Reads {@code /rest/system/status}; returns it, and whether Syncthing restarted since the last reading. */
    Status readStatus() throws SyncthingException {
        JsonNode node;
        try {
            node = client.get("/rest/system/status");
        } catch (SyncthingException e) {
            status = new Status(false, down(e), status.myId(), status.startTime(), status.uptime());
            throw e;
        }
        String myId = text(node, "myID");
        String startTime = text(node, "startTime");
        long uptime = node.get("uptime") != null && node.get("uptime").isNumber() ? node.get("uptime").getLongValue() : 0;
        lastProbeNanos = System.nanoTime();
        String expected = expectedDeviceId;
        if (expected == null && myId != null) {
            expected = rememberDeviceId(myId);
        }
        if (expected != null && !expected.equals(myId)) {
            status = new Status(false, "Syncthing at " + client.base() + " is device " + myId + ", not " + expected
                    + " (the appliance's device); nothing is accepted from it", myId, startTime, uptime);
            return status;
        }
        status = new Status(true, "Syncthing at " + client.base() + ", device " + myId, myId, startTime, uptime);
        return status;
    }

    /** Whether the appliance's Syncthing is reachable and is the device it was at first start. */
    private String requireUp() throws ShareBackendException {
        Status now = readStatus();
        if (!now.up()) {
            throw new ShareBackendException(now.detail());
        }
        return now.myId();
    }

    void markDown(SyncthingException e) {
        Status s = status;
        status = new Status(false, down(e), s.myId(), s.startTime(), s.uptime());
    }

    private String down(SyncthingException e) {
        if (e.keyRefused()) {
            return "Syncthing at " + client.base() + " refused the API key (" + e.getMessage() + ")";
        }
        return e.getMessage();
    }

    private Path deviceIdFile() {
        return layout.root().resolve(".appliance-device-id");
    }

    private String readExpectedDeviceId() {
        try {
            String text = Files.readString(deviceIdFile(), StandardCharsets.US_ASCII).strip();
            return SyncthingLayout.isDeviceId(text) ? text : null;
        } catch (IOException e) {
            return null;
        }
    }

    private String rememberDeviceId(String myId) {
        if (!SyncthingLayout.isDeviceId(myId)) {
            return null;
        }
        try {
            writeAtomically(deviceIdFile(), myId + "\n");
        } catch (IOException e) {
            LOG.warn("cannot record the appliance's device id in {}: {}", deviceIdFile(), e.getMessage());
        }
        expectedDeviceId = myId;
        LOG.info("the appliance's Syncthing device id is {}", myId);
        return myId;
    }

    @Override
    public BackendHealth health() {
        if (!eventLoop.running() && System.nanoTime() - lastProbeNanos > 2_000_000_000L) {
            try {
                readStatus();
            } catch (SyncthingException e) {
                // recorded in status
            }
        }
        Status s = status;
        StringBuilder detail = new StringBuilder(s.detail());
        if (s.up()) {
            detail.append("; ").append(shareOfFolder.size()).append(" folders shared");
            detail.append("; ").append(eventLoop.running() ? eventLoop.describe() : "events off (timers only)");
            if (!refusedDevices.isEmpty()) {
                detail.append("; ").append(refusedDevices.size()).append(" devices refused");
            }
            String errors = eventLoop.folderErrors();
            if (!errors.isEmpty()) {
                detail.append("; folder errors: ").append(errors);
            }
        } else {
            detail.append("; retrying");
        }
        return new BackendHealth(s.up(), detail.toString());
    }

    // ---- offers ----

    @Override
    public List<ShareOffer> offers() throws ShareBackendException {
        String myId = requireUp();
        acceptDevices(myId);
        JsonNode devices = client.get("/rest/config/devices");
        Map<String, String> deviceNames = new LinkedHashMap<>();
        for (JsonNode device : devices.values()) {
            deviceNames.put(text(device, "deviceID"), cleanLabel(text(device, "name")));
        }
        List<ShareOffer> offers = new ArrayList<>();
        for (JsonNode folder : client.get("/rest/config/folders").values()) {
            ours(folder, myId).ifPresent(device -> {
                String id = text(folder, "id");
                String shareId = SyncthingLayout.shareId(device, id);
                shareOfFolder.put(id, shareId);
                offers.add(new ShareOffer(shareId, device, deviceNames.getOrDefault(device, device),
                        nameOf(text(folder, "label"), id), layout.folderPath(device, id), true));
            });
        }
        JsonNode pending = client.get("/rest/cluster/pending/folders");
        for (Map.Entry<String, JsonNode> folder : pending.entries()) {
            JsonNode offeredBy = folder.getValue().get("offeredBy");
            if (offeredBy == null) {
                continue;
            }
            for (Map.Entry<String, JsonNode> by : offeredBy.entries()) {
                String device = by.getKey();
                if (!SyncthingLayout.isDeviceId(device)) {
                    continue;
                }
                offers.add(new ShareOffer(SyncthingLayout.shareId(device, folder.getKey()), device,
                        deviceNames.getOrDefault(device, device), nameOf(text(by.getValue(), "label"), folder.getKey()),
                        layout.folderPath(device, folder.getKey()), false));
            }
        }
        return offers;
    }

    /** The device a folder of ours is shared with: at our derived path, with exactly this appliance and one device. */
    private Optional<String> ours(JsonNode folder, String myId) {
        JsonNode devices = folder.get("devices");
        if (devices == null || devices.size() != 2) {
            return Optional.empty();
        }
        String other = null;
        for (JsonNode d : devices.values()) {
            String id = text(d, "deviceID");
            if (!myId.equals(id)) {
                other = id;
            }
        }
        if (other == null || !SyncthingLayout.isDeviceId(other)) {
            return Optional.empty();
        }
        String path = text(folder, "path");
        Path expected = layout.folderPath(other, text(folder, "id"));
        return path != null && Path.of(path).toAbsolutePath().normalize().equals(expected) ? Optional.of(other)
                : Optional.empty();
    }

    private static String nameOf(String label, String folderId) {
        String clean = cleanLabel(label);
        return clean.isBlank() ? folderId : clean;
    }

    /** A label or name as a device declared it: display only, so control characters go and length is capped. */
    private static String cleanLabel(String text) {
        if (text == null) {
            return "";
        }
        String clean = text.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        return clean.length() > MAX_LABEL ? clean.substring(0, MAX_LABEL) : clean;
    }

    // ---- devices ----

    /** Why a device may not offer anything, or null. */
    String deviceRefusal(String device) {
        if (!SyncthingLayout.isDeviceId(device)) {
            return NOT_A_DEVICE_ID;
        }
        if (deviceDeny.contains(device)) {
            return DEVICE_DENIED;
        }
        if (!deviceAllow.isEmpty() && !deviceAllow.contains(device)) {
            return DEVICE_NOT_ALLOWED;
        }
        return null;
    }

    /**
     * Adds each device waiting in {@code pending/devices} (with the address it dialled from, so its folder offer
     * arrives at once), or ignores it for good when the device lists refuse it.
     */
    void acceptDevices(String myId) throws SyncthingException {
        synchronized (configLock) { // read under the lock: the event worker and the offer round both get here
            JsonNode pending = client.get("/rest/cluster/pending/devices");
            if (pending.size() == 0) {
                return;
            }
            List<Map.Entry<String, JsonNode>> refuse = new ArrayList<>();
            for (Map.Entry<String, JsonNode> entry : pending.entries()) {
                String device = entry.getKey();
                if (device.equals(myId)) {
                    continue;
                }
                String refusal = deviceRefusal(device);
                if (refusal != null) {
                    refuse.add(entry);
                    continue;
                }
                String name = cleanLabel(text(entry.getValue(), "name"));
                List<Object> addresses = new ArrayList<>();
                dialBack(text(entry.getValue(), "address")).ifPresent(addresses::add);
                addresses.add("dynamic");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("deviceID", device);
                body.put("name", name);
                body.put("addresses", addresses);
                body.put("introducer", false);
                body.put("autoAcceptFolders", false);
                body.put("paused", false);
                client.post("/rest/config/devices", JsonNode.from(body));
                LOG.info("added Syncthing device {} ('{}', dialling back at {})", device, name, addresses);
            }
            if (!refuse.isEmpty()) {
                ignoreDevices(refuse);
            }
        }
    }

    /** Only a plain {@code host:port} the device connected from; anything else is left to {@code dynamic}. */
    private static Optional<String> dialBack(String address) {
        if (address == null || address.length() > 100) {
            return Optional.empty();
        }
        String plain = address.startsWith("tcp://") ? address.substring(6) : address;
        return plain.matches("[0-9A-Za-z.:\\[\\]-]+:[0-9]{1,5}") ? Optional.of("tcp://" + plain) : Optional.empty();
    }

    private void ignoreDevices(List<Map.Entry<String, JsonNode>> refuse) throws SyncthingException {
        JsonNode config = client.get("/rest/config");
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = new LinkedHashMap<>((Map<String, Object>) config.getValue());
        List<Object> ignored = new ArrayList<>();
        Object existing = plain.get("remoteIgnoredDevices");
        if (existing instanceof List<?> list) {
            ignored.addAll(list);
        }
        for (Map.Entry<String, JsonNode> entry : refuse) {
            String device = entry.getKey();
            String reason = deviceRefusal(device);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("deviceID", device);
            item.put("name", cleanLabel(text(entry.getValue(), "name")));
            item.put("address", String.valueOf(text(entry.getValue(), "address")));
            item.put("time", Instant.now().toString());
            ignored.add(item);
            refusedDevices.put(device, reason);
            LOG.info("refused Syncthing device {} ('{}'): {}", device, item.get("name"), reason);
        }
        plain.put("remoteIgnoredDevices", ignored);
        client.put("/rest/config", JsonNode.from(plain));
        for (Map.Entry<String, JsonNode> entry : refuse) {
            dismissDevice(entry.getKey());
        }
    }

    private void dismissDevice(String device) {
        try {
            client.delete("/rest/cluster/pending/devices" + SyncthingClient.query(Map.of("device", device)));
        } catch (SyncthingException e) {
            LOG.debug("dismissing pending device {}: {}", device, e.getMessage());
        }
    }

    /** Devices refused by the device lists in this run, with the reason. */
    public Map<String, String> refusedDevices() {
        return Map.copyOf(refusedDevices);
    }

    // ---- accepting and refusing folders ----

    @Override
    public AcceptOutcome accept(ShareOffer offer) throws ShareBackendException {
        SyncthingLayout.Ids ids = SyncthingLayout.parse(offer.shareId()).orElse(null);
        if (ids == null) {
            return new AcceptOutcome.Failed("not a Syncthing share id: " + offer.shareId(), false);
        }
        String myId = requireUp();
        synchronized (configLock) {
            String deviceRefusal = deviceRefusal(ids.device());
            if (deviceRefusal != null) {
                ignoreFolder(ids, offer.name());
                return new AcceptOutcome.Failed(deviceRefusal + ": device " + ids.device()
                        + " is refused by validator.shares.syncthing." + (DEVICE_DENIED.equals(deviceRefusal)
                        ? "device-deny" : "device-allow"), false);
            }
            Path path = layout.folderPath(ids.device(), ids.folder());
            for (JsonNode folder : client.get("/rest/config/folders").values()) {
                if (!ids.folder().equals(text(folder, "id"))) {
                    continue;
                }
                if (ours(folder, myId).filter(ids.device()::equals).isPresent()) {
                    shareOfFolder.put(ids.folder(), offer.shareId());
                    return AcceptOutcome.accepted(); // added before a crash, not yet recorded
                }
                ignoreFolder(ids, offer.name());
                return new AcceptOutcome.Failed(FOLDER_ID_IN_USE + ": the appliance already has a folder with id '"
                        + ids.folder() + "'; it is never shared with a second device", false);
            }
            JsonNode offered = pendingOffer(ids);
            if (offered != null && (bool(offered, "receiveEncrypted") || bool(offered, "remoteEncrypted"))) {
                ignoreFolder(ids, offer.name());
                return new AcceptOutcome.Failed(ENCRYPTED_OFFER + ": the folder is shared encrypted (with the "
                        + "appliance as an untrusted device); the appliance could never read its trophies", false);
            }
            try {
                prepareDirectory(path);
            } catch (IOException e) {
                return new AcceptOutcome.Failed("cannot prepare the folder " + path + ": " + e.getMessage(), true);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", ids.folder());
            body.put("label", nameOf(offer.name(), ids.folder()));
            body.put("path", path.toString());
            body.put("type", "sendreceive");
            body.put("devices", List.of(Map.of("deviceID", myId), Map.of("deviceID", ids.device())));
            body.put("ignorePerms", true);
            body.put("fsWatcherEnabled", true);
            body.put("fsWatcherDelayS", 1);
            body.put("rescanIntervalS", 3600);
            body.put("paused", false);
            body.put("versioning", Map.of("type", ""));
            client.post("/rest/config/folders", JsonNode.from(body));
            shareOfFolder.put(ids.folder(), offer.shareId());
            return AcceptOutcome.accepted();
        }
    }

    private JsonNode pendingOffer(SyncthingLayout.Ids ids) throws SyncthingException {
        JsonNode pending = client.get("/rest/cluster/pending/folders"
                + SyncthingClient.query(Map.of("device", ids.device())));
        JsonNode folder = pending.get(ids.folder());
        JsonNode by = folder == null ? null : folder.get("offeredBy");
        return by == null ? null : by.get(ids.device());
    }

    /** The folder's directory and its allow-list {@code .stignore}, before Syncthing is told of it. */
    private void prepareDirectory(Path path) throws IOException {
        Files.createDirectories(layout.root());
        try {
            Files.createDirectory(path);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("it exists and is not a directory");
            }
        }
        writeAtomically(path.resolve(".stignore"), SyncthingLayout.STIGNORE);
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path temp = target.resolveSibling(".accomplishments-validator-" + UUID.randomUUID() + ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void decline(ShareOffer offer) throws ShareBackendException {
        Optional<SyncthingLayout.Ids> ids = SyncthingLayout.parse(offer.shareId());
        if (ids.isEmpty()) {
            return;
        }
        requireUp();
        synchronized (configLock) {
            ignoreFolder(ids.get(), offer.name());
        }
    }

    /** The device's {@code ignoredFolders} gains the folder, then the pending entry goes: the offer never returns. */
    private void ignoreFolder(SyncthingLayout.Ids ids, String label) throws SyncthingException {
        String devicePath = "/rest/config/devices/" + ids.device();
        JsonNode device;
        try {
            device = client.get(devicePath);
        } catch (SyncthingException e) {
            if (e.status() == 404) {
                return; // not a device of ours: nothing it offers can reach us
            }
            throw e;
        }
        List<Object> ignored = new ArrayList<>();
        JsonNode existing = device.get("ignoredFolders");
        boolean already = false;
        if (existing != null) {
            for (JsonNode item : existing.values()) {
                ignored.add(item.getValue());
                already |= ids.folder().equals(text(item, "id"));
            }
        }
        if (!already) {
            ignored.add(Map.of("id", ids.folder(), "label", cleanLabel(label), "time", Instant.now().toString()));
            client.patch(devicePath, JsonNode.from(Map.of("ignoredFolders", ignored)));
        }
        try {
            client.delete("/rest/cluster/pending/folders" + SyncthingClient.query(
                    new LinkedHashMap<>(Map.of("folder", ids.folder(), "device", ids.device()))));
        } catch (SyncthingException e) {
            LOG.debug("dismissing pending folder {} of {}: {}", ids.folder(), ids.device(), e.getMessage());
        }
    }

    // ---- files ----

    @Override
    public ShareFolder folder(Share share) {
        Optional<SyncthingLayout.Ids> ids = SyncthingLayout.parse(share.id());
        if (ids.isEmpty()) {
            return new ShareFolder(share.folder());
        }
        String folderId = ids.get().folder();
        return new ShareFolder(share.folder(), path -> scans.request(folderId, path));
    }

    /** The share a folder id belongs to, when it is one of ours (from the last listing). */
    String shareOf(String folderId) {
        return shareOfFolder.get(folderId);
    }

    /** Reloads which folders are ours (after a restart, or an event about an unknown folder). */
    void refreshFolders() throws SyncthingException {
        String myId = status.myId();
        if (myId == null) {
            return;
        }
        for (JsonNode folder : client.get("/rest/config/folders").values()) {
            String id = text(folder, "id");
            ours(folder, myId).ifPresent(device -> shareOfFolder.put(id, SyncthingLayout.shareId(device, id)));
        }
    }

    Path folderPathOf(String shareId) {
        return SyncthingLayout.parse(shareId).map(ids -> layout.folderPath(ids.device(), ids.folder())).orElse(null);
    }

    @Override
    public synchronized void close() {
        eventLoop.close();
        scans.close();
    }

    // ---- JSON helpers ----

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isString() ? value.getStringValue() : null;
    }

    static boolean bool(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isBoolean() && value.getBooleanValue();
    }
}
