package org.accomplishments.validator.share.syncdaemon;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.accomplishments.validator.share.syncdaemon.DBusCommandLine.Message;
import org.accomplishments.validator.share.syncdaemon.DBusCommandLine.Monitor;
import org.accomplishments.validator.share.syncdaemon.DBusCommandLine.Run;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test sync daemon, checked against the documented D-Bus interface (docs: syncdaemon-dbus.md) with the
 * command-line tools a person would use (busctl, dbus-send, dbus-monitor), so the fixture is judged independently
 * of our own dbus-java client. The last tests exercise the Java helpers themselves.
 */
class SyncDaemonFixtureInterfaceTest {
    private static final String SHARES = "com.ubuntuone.SyncDaemon.Shares";
    private static final String STATUS = "com.ubuntuone.SyncDaemon.Status";
    private static final String SYNC_DAEMON = "com.ubuntuone.SyncDaemon.SyncDaemon";
    private static final String FOLDERS = "com.ubuntuone.SyncDaemon.Folders";
    private static final String CONTROL = "org.accomplishments.test.SyncDaemonControl";
    private static final String SIGNALS_OF_THE_DAEMON = "type='signal',sender='com.ubuntuone.SyncDaemon'";
    private static final Duration SIGNAL_WAIT = Duration.ofSeconds(10);

    /** The share dict's keys, as documented ("There is no id key"). */
    private static final Set<String> SHARE_KEYS = Set.of("volume_id", "node_id", "generation", "type", "path",
            "name", "other_username", "other_visible_name", "accepted", "subscribed", "access_level", "free_bytes");

    @TempDir
    Path tmp;

    private TestBus bus;
    private TestSyncDaemon daemon;
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeEach
    void startBusAndDaemon() {
        bus = new TestBus();
        started.add(bus);
        daemon = new TestSyncDaemon(bus.address(), tmp.resolve("daemon"));
        started.add(daemon);
    }

    /** Closes everything this test started, newest first, even if one close fails. */
    @AfterEach
    void stopEverything() throws Exception {
        Exception first = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        started.clear();
        if (first != null) {
            throw first;
        }
    }

    // ---- the documented interface, as busctl sees it ----

    static Stream<Arguments> documentedObjects() {
        return Stream.of(
                Arguments.of("/shares", SHARES, Set.of(
                        "method get_shares() -> aa{ss}",
                        "method accept_share(s)",
                        "method reject_share(s)",
                        "method subscribe(s)",
                        "method unsubscribe(s)",
                        "method refresh_shares()",
                        "method delete_share(s)",
                        "method create_share(ssss)",
                        "method create_shares(sasss)",
                        "method get_shared() -> aa{ss}",
                        "signal NewShare(a{ss})",
                        "signal ShareChanged(a{ss})",
                        "signal ShareDeleted(a{ss})",
                        "signal ShareCreated(a{ss})",
                        "signal ShareAnswerResponse(a{ss})",
                        "signal ShareSubscribed(a{ss})",
                        "signal ShareUnSubscribed(a{ss})",
                        "signal ShareDeleteError(a{ss}s)",
                        "signal ShareCreateError(a{ss}s)",
                        "signal ShareSubscribeError(a{ss}s)",
                        "signal ShareUnSubscribeError(a{ss}s)")),
                Arguments.of("/status", STATUS, Set.of(
                        "method current_status() -> a{ss}",
                        "method current_downloads() -> aa{ss}",
                        "method current_uploads() -> aa{ss}",
                        "method free_space(s) -> t",
                        "method waiting() -> a(ssa{ss})",
                        "signal DownloadStarted(s)",
                        "signal DownloadFileProgress(sa{ss})",
                        "signal DownloadFinished(sa{ss})",
                        "signal UploadStarted(s)",
                        "signal UploadFileProgress(sa{ss})",
                        "signal UploadFinished(sa{ss})",
                        "signal StatusChanged(a{ss})",
                        "signal InvalidName(ss)",
                        "signal BrokenNode(ssss)",
                        "signal RequestQueueAdded(ssa{ss})",
                        "signal RequestQueueRemoved(ssa{ss})",
                        "signal AccountChanged(a{ss})")),
                Arguments.of("/", SYNC_DAEMON, Set.of(
                        "method connect()",
                        "method disconnect()",
                        "method get_rootdir() -> s",
                        "method get_sharesdir() -> s",
                        "method get_sharesdir_link() -> s",
                        "method wait_for_nirvana(d) -> b",
                        "method quit()",
                        "method rescan_from_scratch(s)")),
                Arguments.of("/folders", FOLDERS, Set.of(
                        "method create(s)",
                        "method delete(s)",
                        "method get_folders() -> aa{ss}",
                        "method subscribe(s)",
                        "method unsubscribe(s)",
                        "method get_info(s) -> a{ss}",
                        "method refresh_volumes()",
                        "signal FolderCreated(a{ss})",
                        "signal FolderDeleted(a{ss})",
                        "signal FolderSubscribed(a{ss})",
                        "signal FolderUnSubscribed(a{ss})",
                        "signal FolderCreateError(a{ss}s)",
                        "signal FolderDeleteError(a{ss}s)",
                        "signal FolderSubscribeError(a{ss}s)",
                        "signal FolderUnSubscribeError(a{ss}s)")));
    }

    @ParameterizedTest(name = "{0} exports {1} with exactly the documented members and signatures")
    @MethodSource("documentedObjects")
    void eachDocumentedObjectExportsExactlyTheDocumentedMembersAndSignatures(String path, String iface,
            Set<String> documented) throws Exception {
        Run introspection = DBusCommandLine.run(List.of("busctl", "--address=" + bus.address(), "--xml-interface",
                "introspect", TestSyncDaemon.BUS_NAME, path)).requireSuccess();
        Document xml = parseIntrospection(introspection.stdout());

        Set<String> daemonInterfaces = new TreeSet<>();
        Element found = null;
        NodeList interfaces = xml.getDocumentElement().getElementsByTagName("interface");
        for (int i = 0; i < interfaces.getLength(); i++) {
            Element candidate = (Element) interfaces.item(i);
            if (candidate.getAttribute("name").startsWith("com.ubuntuone.")) {
                daemonInterfaces.add(candidate.getAttribute("name"));
            }
            if (candidate.getAttribute("name").equals(iface)) {
                found = candidate;
            }
        }
        assertEquals(Set.of(iface), daemonInterfaces, "the daemon's interfaces on " + path);

        Set<String> exported = members(found);
        assertEquals(new TreeSet<>(documented), exported, () -> path + " " + iface + ": missing "
                + difference(documented, exported) + ", not documented " + difference(exported, documented));
    }

    @Test
    void theDaemonExportsTheFourDocumentedObjectsAndTheTestControlObjectOnly() {
        Run tree = DBusCommandLine.run(List.of("busctl", "--address=" + bus.address(), "--list", "tree",
                TestSyncDaemon.BUS_NAME)).requireSuccess();

        assertEquals(List.of("/", "/folders", "/shares", "/status", "/test", "/test/control"),
                tree.stdout().lines().map(String::trim).filter(l -> !l.isEmpty()).sorted().toList(), tree::toString);
    }

    // ---- behaviour, driven with dbus-send and watched with dbus-monitor ----

    @Test
    void anOfferMadeWithDbusSendIsListedByGetSharesAsAPendingShareWithEveryDocumentedKey() {
        String id = offerWithDbusSend("alice", "Alice", "alice Trophies Folder");

        Run reply = dbusSend("/shares", SHARES + ".get_shares").requireSuccess();

        Map<String, String> share = shareWithId(DBusCommandLine.stringDicts(reply.stdout()), id, reply);
        assertEquals(SHARE_KEYS, share.keySet(), reply::toString);
        assertEquals("alice", share.get("other_username"));
        assertEquals("Alice", share.get("other_visible_name"));
        assertEquals("alice Trophies Folder", share.get("name"));
        assertEquals("Share", share.get("type"));
        assertEquals("", share.get("accepted"));
        assertEquals("", share.get("subscribed"));
        assertEquals("Modify", share.get("access_level"));
        assertEquals(daemon.sharesDir().resolve("alice Trophies Folder (Alice, " + id + ")").toString(),
                share.get("path"));
        UUID.fromString(share.get("node_id"));
        assertTrue(share.get("generation").matches("\\d+"), share::toString);
        assertTrue(share.get("free_bytes").matches("\\d+"), share::toString);
    }

    @Test
    void offerAcceptSubscribeAndDeliveryShowTheDocumentedSignalsInOrder() throws IOException {
        Monitor monitor = monitor();
        String id = offerWithDbusSend("alice", "Alice", "alice Trophies Folder");
        dbusSend("/shares", SHARES + ".accept_share", "string:" + id).requireSuccess();
        dbusSend("/shares", SHARES + ".subscribe", "string:" + id).requireSuccess();
        byte[] content = "-----BEGIN PGP SIGNED MESSAGE-----\nsigned trophy\n".getBytes(StandardCharsets.UTF_8);
        Run delivered = dbusSend("/test/control", CONTROL + ".deliver", "string:" + id,
                "string:trophies/first.trophy.asc", byteArray(content)).requireSuccess();
        Path file = Path.of(DBusCommandLine.topLevelStrings(delivered.stdout()).get(0));

        List<Message> messages = monitor.await("NewShare, ShareAnswerResponse, ShareSubscribed, DownloadFinished",
                all -> indexOf(all, m -> isDownloadFinished(m, file, Map.of())) >= 0, SIGNAL_WAIT);

        int offered = indexOf(messages, m -> m.isSignal("/shares", SHARES, "NewShare")
                && share(m).equals(Map.of("volume_id", id, "accepted", "", "subscribed", "")));
        int answered = indexOf(messages, m -> m.isSignal("/shares", SHARES, "ShareAnswerResponse")
                && DBusCommandLine.stringDicts(m.body()).equals(List.of(Map.of("volume_id", id, "answer", "Yes"))));
        int acceptedAgain = indexOf(messages, m -> m.isSignal("/shares", SHARES, "NewShare")
                && share(m).equals(Map.of("volume_id", id, "accepted", "True", "subscribed", "")));
        int subscribed = indexOf(messages, m -> m.isSignal("/shares", SHARES, "ShareSubscribed")
                && share(m).equals(Map.of("volume_id", id, "accepted", "True", "subscribed", "True")));
        int finished = indexOf(messages, m -> isDownloadFinished(m, file, Map.of()));
        String printed = monitor.text();
        assertTrue(offered >= 0, "NewShare of the pending offer:\n" + printed);
        assertTrue(answered > offered, "ShareAnswerResponse Yes after the offer:\n" + printed);
        assertTrue(acceptedAgain > offered, "NewShare again once accepted:\n" + printed);
        assertTrue(subscribed > answered, "ShareSubscribed after the answer:\n" + printed);
        assertTrue(finished > subscribed, "DownloadFinished after subscribing:\n" + printed);
        for (Message m : messages.subList(offered, messages.size())) {
            assertEquals(daemon.uniqueName(), m.field("sender"), "every signal comes from the daemon: " + m);
        }

        Path shareDir = daemon.sharesDir().resolve("alice Trophies Folder (Alice, " + id + ")");
        assertEquals(shareDir.resolve("trophies/first.trophy.asc"), file);
        assertArrayEquals(content, Files.readAllBytes(file));
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertEquals(List.of(file), left.toList(), "no partial file is left next to the delivered one");
        }

        dbusSend("/test/control", CONTROL + ".fail_download", "string:" + id, "string:trophies/second.trophy.asc")
                .requireSuccess();
        Path failed = shareDir.resolve("trophies/second.trophy.asc");
        monitor.await("DownloadFinished with an error", all -> indexOf(all, m -> isDownloadFinished(m, failed,
                Map.of("error", "simulated download failure"))) >= 0, SIGNAL_WAIT);
        assertFalse(Files.exists(failed), "a failed download writes nothing");
    }

    @Test
    void withSignalsOffADeliveredFileArrivesButNoDownloadFinishedIsSeen() throws IOException {
        String id = offerWithDbusSend("alice", "Alice", "alice Trophies Folder");
        dbusSend("/shares", SHARES + ".accept_share", "string:" + id).requireSuccess();
        dbusSend("/shares", SHARES + ".subscribe", "string:" + id).requireSuccess();
        Monitor monitor = monitor();

        dbusSend("/test/control", CONTROL + ".set_signals", "boolean:false").requireSuccess();
        Run delivered = dbusSend("/test/control", CONTROL + ".deliver", "string:" + id, "string:missed.trophy.asc",
                byteArray("missed".getBytes(StandardCharsets.UTF_8))).requireSuccess();
        Run stillAnswering = dbusSend("/shares", SHARES + ".get_shares").requireSuccess();
        // Signals are emitted in order: once a later marker signal shows, a DownloadFinished would have too.
        dbusSend("/test/control", CONTROL + ".set_signals", "boolean:true").requireSuccess();
        String marker = offerWithDbusSend("marker", "Marker", "marker Trophies Folder");
        List<Message> messages = monitor.await("the marker's NewShare", all -> indexOf(all,
                m -> m.isSignal("/shares", SHARES, "NewShare") && m.body().contains(marker)) >= 0, SIGNAL_WAIT);

        Path file = Path.of(DBusCommandLine.topLevelStrings(delivered.stdout()).get(0));
        assertEquals("missed", Files.readString(file));
        assertEquals(-1, indexOf(messages, m -> "DownloadFinished".equals(m.member())), monitor::text);
        assertEquals(1, DBusCommandLine.stringDicts(stillAnswering.stdout()).size(), stillAnswering::toString);
    }

    @Test
    void aRefusingServerAnswersNoAndASilentOneNotAtAll() {
        Monitor monitor = monitor();
        String id = offerWithDbusSend("alice", "Alice", "alice Trophies Folder");

        dbusSend("/test/control", CONTROL + ".set_answer", "string:no").requireSuccess();
        dbusSend("/shares", SHARES + ".accept_share", "string:" + id).requireSuccess();
        monitor.await("ShareAnswerResponse No", all -> indexOf(all, m -> isAnswer(m, Map.of("volume_id", id,
                "answer", "No", "error", "simulated: the server refused"))) >= 0, SIGNAL_WAIT);
        dbusSend("/shares", SHARES + ".subscribe", "string:" + id).requireSuccess();
        monitor.await("ShareSubscribeError 'not accepted'", all -> indexOf(all,
                m -> m.isSignal("/shares", SHARES, "ShareSubscribeError")
                        && DBusCommandLine.stringDicts(m.body()).get(0).get("volume_id").equals(id)
                        && DBusCommandLine.topLevelStrings(m.body()).equals(List.of("not accepted"))) >= 0,
                SIGNAL_WAIT);

        dbusSend("/test/control", CONTROL + ".set_answer", "string:silent").requireSuccess();
        dbusSend("/shares", SHARES + ".accept_share", "string:" + id).requireSuccess();
        String marker = offerWithDbusSend("marker", "Marker", "marker Trophies Folder");
        List<Message> messages = monitor.await("the marker's NewShare", all -> indexOf(all,
                m -> m.isSignal("/shares", SHARES, "NewShare") && m.body().contains(marker)) >= 0, SIGNAL_WAIT);

        long answers = messages.stream().filter(m -> "ShareAnswerResponse".equals(m.member())).count();
        assertEquals(1, answers, "only the refusal is answered; the silent server sends nothing:\n"
                + monitor.text());
        Run listed = dbusSend("/shares", SHARES + ".get_shares").requireSuccess();
        assertEquals("", shareWithId(DBusCommandLine.stringDicts(listed.stdout()), id, listed).get("accepted"));
    }

    @Test
    void aRestartedDaemonStillListsItsSharesWithTheirAcceptedAndSubscribedState() throws Exception {
        String alice = offerWithDbusSend("alice", "Alice", "alice Trophies Folder");
        String bob = offerWithDbusSend("bob", "Bob", "bob Trophies Folder");
        dbusSend("/shares", SHARES + ".accept_share", "string:" + alice).requireSuccess();
        dbusSend("/shares", SHARES + ".subscribe", "string:" + alice).requireSuccess();
        String before = daemon.uniqueName();

        assertEquals(0, daemon.stop(), daemon::logTail);
        daemon.start();

        assertNotEquals(before, daemon.uniqueName(), "a new process with a new connection");
        List<Map<String, String>> shares = sharesWithBusctl();
        assertEquals(List.of(alice, bob), shares.stream().map(s -> s.get("volume_id")).toList());
        assertEquals(List.of("True", "True"), List.of(shares.get(0).get("accepted"), shares.get(0).get("subscribed")));
        assertEquals(List.of("", ""), List.of(shares.get(1).get("accepted"), shares.get(1).get("subscribed")));
        assertEquals(daemon.sharesDir().resolve("alice Trophies Folder (Alice, " + alice + ")").toString(),
                shares.get(0).get("path"));
    }

    @Test
    void aThousandOffersAreQuickAndAllListedAsPending() throws Exception {
        long start = System.nanoTime();
        List<String> ids = daemon.control().offerMany(1000, "user");
        Duration offering = Duration.ofNanos(System.nanoTime() - start);
        start = System.nanoTime();
        List<Map<String, String>> shares = sharesWithBusctl();
        Duration listing = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(offering.compareTo(Duration.ofSeconds(10)) < 0, "offer_many(1000) took " + offering);
        assertEquals(1000, shares.size());
        assertEquals(ids, shares.stream().map(s -> s.get("volume_id")).toList());
        assertEquals(1000, Set.copyOf(ids).size(), "distinct ids");
        assertTrue(shares.stream().allMatch(s -> s.get("accepted").isEmpty() && s.get("subscribed").isEmpty()),
                "all pending");
        Map<String, String> seventh = shares.get(6);
        assertEquals(List.of("user7", "User7", "user7 Trophies Folder"), List.of(seventh.get("other_username"),
                seventh.get("other_visible_name"), seventh.get("name")));
        assertTrue(listing.compareTo(Duration.ofSeconds(10)) < 0, "get_shares of 1000 took " + listing);
    }

    @Test
    void aSecondDaemonCannotTakeTheNameAndExitsWith3() {
        Run second = DBusCommandLine.run(List.of(TestSyncDaemon.PYTHON, TestSyncDaemon.script().toString(),
                "--shares-dir", tmp.resolve("second/shares").toString(), "--address", bus.address()));

        assertEquals(3, second.exitCode(), second::toString);
        assertTrue(second.stderr().contains("already taken"), second::toString);
        assertFalse(second.stdout().contains("READY"), second::toString);
    }

    @Test
    void quitIsAnsweredAndTheDaemonExitsWith0() {
        dbusSend("/", SYNC_DAEMON + ".quit").requireSuccess();

        assertEquals(0, daemon.waitForExit(Duration.ofSeconds(5)), daemon::logTail);
    }

    // ---- the Java helpers ----

    @Test
    void theJavaControlProxyDeliversRefusesUnsafePathsAndReportsTheCallsItSaw() throws IOException {
        SyncDaemonControl control = daemon.control();
        String id = control.offer("alice", "Alice", "alice Trophies Folder");
        assertThrows(DBusExecutionException.class, () -> control.deliver(id, "early.trophy.asc", new byte[1]),
                "a pending share receives nothing");
        control.resetCalls();
        dbusSend("/shares", SHARES + ".accept_share", "string:" + id).requireSuccess();
        dbusSend("/shares", SHARES + ".subscribe", "string:" + id).requireSuccess();

        byte[] content = {0, 1, 2, (byte) 0xff};
        Path file = Path.of(control.deliver(id, "deep/er/x.trophy.asc", content));

        assertArrayEquals(content, Files.readAllBytes(file));
        assertTrue(file.startsWith(daemon.sharesDir()), file::toString);
        for (String unsafe : List.of("../escape", "/etc/passwd", "a/../../escape", "")) {
            DBusExecutionException refused = assertThrows(DBusExecutionException.class,
                    () -> control.deliver(id, unsafe, content), unsafe);
            assertTrue(refused.getMessage().contains("not a relative file path"), refused::getMessage);
        }
        assertFalse(Files.exists(daemon.sharesDir().resolve("escape")), "nothing written outside the share");
        assertEquals(List.of(new SyncDaemonControl.Call("accept_share", id),
                new SyncDaemonControl.Call("subscribe", id)), control.calls());

        Monitor monitor = monitor();
        control.delete(id);
        monitor.await("ShareDeleted", all -> indexOf(all, m -> m.isSignal("/shares", SHARES, "ShareDeleted")
                && share(m).equals(Map.of("volume_id", id, "accepted", "True", "subscribed", "True"))) >= 0,
                SIGNAL_WAIT);
        assertEquals(List.of(), sharesWithBusctl(), "the deleted share is no longer listed");
        assertArrayEquals(content, Files.readAllBytes(file), "its files stay");
    }

    @Test
    void theBusCanGoAwayAndComeBackAtTheSameAddressWithTheDaemonRestarted() {
        String id = daemon.control().offer("alice", "Alice", "alice Trophies Folder");
        String address = bus.address();

        bus.stop();
        assertEquals(4, daemon.waitForExit(Duration.ofSeconds(5)), "the daemon exits when it loses the bus");
        bus.start();
        daemon.start();

        assertEquals(address, bus.address());
        Run listed = dbusSend("/shares", SHARES + ".get_shares").requireSuccess();
        shareWithId(DBusCommandLine.stringDicts(listed.stdout()), id, listed);
        String again = daemon.control().offer("bob", "Bob", "bob Trophies Folder");
        assertEquals(2, sharesWithBusctl().size(), again);
    }

    // ---- helpers ----

    private Monitor monitor() {
        Monitor monitor = Monitor.start(bus.address(), SIGNALS_OF_THE_DAEMON,
                tmp.resolve("dbus-monitor-" + started.size() + ".txt"));
        started.add(monitor);
        return monitor;
    }

    private Run dbusSend(String path, String member, String... args) {
        return DBusCommandLine.dbusSend(bus.address(), path, member, args);
    }

    private String offerWithDbusSend(String owner, String visibleName, String name) {
        Run reply = dbusSend("/test/control", CONTROL + ".offer", "string:" + owner, "string:" + visibleName,
                "string:" + name).requireSuccess();
        List<String> strings = DBusCommandLine.topLevelStrings(reply.stdout());
        assertEquals(1, strings.size(), reply::toString);
        return UUID.fromString(strings.get(0)).toString();
    }

    /** get_shares through {@code busctl --json=short}: exact strings, and fast to read for 1,000 shares. */
    private List<Map<String, String>> sharesWithBusctl() {
        Run reply = DBusCommandLine.busctlCall(bus.address(), "/shares", SHARES, "get_shares").requireSuccess();
        try {
            JsonNode json = new ObjectMapper().readTree(reply.stdout());
            assertEquals("aa{ss}", json.get("type").asText(), reply::toString);
            return new ObjectMapper().convertValue(json.get("data").get(0),
                    new TypeReference<List<Map<String, String>>>() { });
        } catch (IOException e) {
            throw new AssertionError("unreadable busctl output: " + reply, e);
        }
    }

    private static Map<String, String> shareWithId(List<Map<String, String>> shares, String id, Run printed) {
        return shares.stream().filter(s -> id.equals(s.get("volume_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no share " + id + " in " + printed));
    }

    /** The volume id and accepted/subscribed flags of the one share dict a signal carries (empty if none). */
    private static Map<String, String> share(Message message) {
        List<Map<String, String>> dicts = DBusCommandLine.stringDicts(message.body());
        if (dicts.size() != 1 || !dicts.get(0).keySet().equals(SHARE_KEYS)) {
            return Map.of();
        }
        Map<String, String> share = dicts.get(0);
        return Map.of("volume_id", share.get("volume_id"), "accepted", share.get("accepted"),
                "subscribed", share.get("subscribed"));
    }

    private static boolean isAnswer(Message message, Map<String, String> expected) {
        return message.isSignal("/shares", SHARES, "ShareAnswerResponse")
                && DBusCommandLine.stringDicts(message.body()).equals(List.of(expected));
    }

    private static boolean isDownloadFinished(Message message, Path file, Map<String, String> info) {
        return message.isSignal("/status", STATUS, "DownloadFinished")
                && DBusCommandLine.topLevelStrings(message.body()).equals(List.of(file.toString()))
                && (info.isEmpty() ? DBusCommandLine.emptyArrays(message.body()) == 1
                        && DBusCommandLine.stringDicts(message.body()).isEmpty()
                        : DBusCommandLine.stringDicts(message.body()).equals(List.of(info)));
    }

    private static int indexOf(List<Message> messages, java.util.function.Predicate<Message> test) {
        for (int i = 0; i < messages.size(); i++) {
            if (test.test(messages.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** dbus-send's {@code array:byte:N,N,...} (an empty content is {@code array:byte:}). */
    private static String byteArray(byte[] content) {
        StringBuilder arg = new StringBuilder("array:byte:");
        for (int i = 0; i < content.length; i++) {
            arg.append(i == 0 ? "" : ",").append(content[i] & 0xff);
        }
        return arg.toString();
    }

    private static Document parseIntrospection(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // The introspection DOCTYPE names a DTD on freedesktop.org: never fetch it.
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** "method name(in) -> out" / "signal Name(args)" for each member of an introspected interface. */
    private static Set<String> members(Element iface) {
        Set<String> members = new TreeSet<>();
        for (String kind : List.of("method", "signal")) {
            NodeList nodes = iface.getElementsByTagName(kind);
            for (int i = 0; i < nodes.getLength(); i++) {
                Element member = (Element) nodes.item(i);
                StringBuilder in = new StringBuilder();
                StringBuilder out = new StringBuilder();
                NodeList args = member.getElementsByTagName("arg");
                for (int j = 0; j < args.getLength(); j++) {
                    Element arg = (Element) args.item(j);
                    // a method's args are "in" unless marked "out"; a signal's are all its payload
                    boolean isOut = kind.equals("method") && arg.getAttribute("direction").equals("out");
                    (isOut ? out : in).append(arg.getAttribute("type"));
                }
                members.add(kind + " " + member.getAttribute("name") + "(" + in + ")"
                        + (out.length() > 0 ? " -> " + out : ""));
            }
        }
        return members;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        return a.stream().filter(x -> !b.contains(x)).collect(Collectors.toCollection(TreeSet::new));
    }
}
