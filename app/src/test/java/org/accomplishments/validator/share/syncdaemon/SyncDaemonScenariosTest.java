package org.accomplishments.validator.share.syncdaemon;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.accomplishments.validator.share.ShareState;
import org.accomplishments.validator.validation.PipelineScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service with the syncdaemon backend, a real dbus-daemon and the test sync daemon. The offer and rescan timers
 * are set to an hour, so everything here is driven by the daemon's signals alone.
 */
@MicronautTest(transactional = false)
class SyncDaemonScenariosTest extends PipelineScenario {
    private final TestBus bus = new TestBus();
    private TestSyncDaemon daemon;

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of("ok", "exit 0");
    }

    @Override
    protected Map<String, String> extraProperties() {
        daemon = new TestSyncDaemon(bus.address(), dataDir);
        Map<String, String> p = new HashMap<>(syncDaemonProperties(bus));
        p.put("validator.shares.offer-interval", "1h");
        p.put("validator.shares.rescan-interval", "1h");
        p.put("validator.shares.policy.owner-deny", "mallory.*");
        return p;
    }

    static Map<String, String> syncDaemonProperties(TestBus bus) {
        return Map.of(
                "validator.shares.offers.retry-initial-delay", "200ms",
                "validator.shares.offers.retry-max-delay", "500ms",
                "validator.shares.backend", "syncdaemon",
                "validator.shares.syncdaemon.bus-address", bus.address(),
                "validator.shares.syncdaemon.answer-timeout", "1s",
                "validator.shares.syncdaemon.watchdog-interval", "200ms",
                "validator.shares.syncdaemon.reconnect.initial-delay", "100ms",
                "validator.shares.syncdaemon.reconnect.max-delay", "500ms");
    }

    @AfterAll
    void stopDaemonAndBus() {
        daemon.close();
        bus.close();
    }

    private org.accomplishments.validator.share.Share awaitShare(String id, ShareState state) {
        return await(() -> registry.find(id).filter(s -> s.state() == state), Duration.ofSeconds(20),
                "share " + id + " " + state + " (is " + registry.find(id).map(s -> s.state() + ": " + s.reason())
                        .orElse("unknown") + ")");
    }

    private List<String> calls(String member) {
        return daemon.control().calls().stream().filter(c -> c.member.equals(member)).map(c -> c.argument).toList();
    }

    private org.accomplishments.validator.share.Share acceptedShare(String owner) {
        daemon.control().setAnswer("yes");
        String id = daemon.control().offer(owner, owner.toUpperCase(), owner + " Trophies Folder");
        org.accomplishments.validator.share.Share share = awaitShare(id, ShareState.ACCEPTED);
        daemon.control().deliver(id, ".extrainformation/email", (owner + "@example.org\n").getBytes(StandardCharsets.UTF_8));
        return share;
    }

    @Test
    void offersAreAcceptedOrRefusedByThePolicyAsTheyArrive() {
        String alice = daemon.control().offer("alice", "Alice", "alice Trophies Folder");
        String mallory = daemon.control().offer("mallory", "Mallory", "mallory Trophies Folder");

        org.accomplishments.validator.share.Share accepted = awaitShare(alice, ShareState.ACCEPTED);
        org.accomplishments.validator.share.Share refused = awaitShare(mallory, ShareState.REFUSED);

        assertEquals("alice", accepted.owner());
        assertTrue(accepted.folder().endsWith("alice Trophies Folder (Alice, " + alice + ")"), accepted.folder().toString());
        assertTrue(refused.reason().contains("mallory"), refused.reason());
        assertTrue(calls("accept_share").contains(alice) && calls("subscribe").contains(alice), calls("accept_share").toString());
        assertTrue(calls("reject_share").contains(mallory));
        assertTrue(!calls("accept_share").contains(mallory) && !calls("subscribe").contains(mallory));
    }

    @Test
    void aDownloadFinishedDrivesATrophyToItsSignatureWithinASecond() throws Exception {
        org.accomplishments.validator.share.Share share = acceptedShare("grace");
        List<Long> millis = new ArrayList<>();

        for (int i = 0; i < 10; i++) {
            String name = "ok";
            Path asc = share.folder().resolve(COLLECTION + "/" + name + ".trophy.asc");
            Files.deleteIfExists(asc); // our own file: the next trophy's verdict is written afresh
            long start = System.nanoTime();
            daemon.control().deliver(share.id(), COLLECTION + "/" + name + ".trophy",
                    (trophyText(name, "grace@example.org") + "# attempt " + i + "\n").getBytes(StandardCharsets.UTF_8));
            String signed = awaitFile(asc, Duration.ofSeconds(5));
            millis.add((System.nanoTime() - start) / 1_000_000);
            assertTrue(signed.contains("# attempt " + i), "the signature is for this delivery");
        }

        System.out.println("DownloadFinished to .asc, ms: " + millis);
        assertTrue(millis.stream().allMatch(ms -> ms < 1000), "each within 1 s: " + millis);
    }

    /** The server refusing ({@code No}) and a daemon that never answers end the same way: recorded, asked again. */
    @ParameterizedTest(name = "answer {0}: reason says \"{1}\"")
    @CsvSource({"no, answered 'No'", "silent, no answer"})
    void anAcceptNotAnsweredYesIsRecordedWithItsReasonAndAskedAgainNextRound(String answer, String reason)
            throws Exception {
        daemon.control().setAnswer(answer);
        String id = daemon.control().offer("heidi-" + answer, "Heidi", "heidi Trophies Folder");

        org.accomplishments.validator.share.Share offered = await(() -> registry.find(id)
                .filter(s -> s.reason() != null), Duration.ofSeconds(10), "a reason recorded for " + id);

        assertEquals(ShareState.OFFERED, offered.state());
        assertTrue(offered.reason().contains(reason), offered.reason());
        daemon.control().setAnswer("yes");
        inbox.acceptOffers();
        awaitShare(id, ShareState.ACCEPTED);
    }

    @Test
    void aThousandOffersAtOnceAreAllAcceptedAndFollowed() {
        daemon.control().setAnswer("yes");
        long start = System.nanoTime();

        List<String> ids = daemon.control().offerMany(1000, "crowd");

        await(() -> {
            Map<ShareState, Long> states = ids.stream().map(id -> registry.find(id).map(org.accomplishments.validator.share.Share::state))
                    .flatMap(Optional::stream).collect(Collectors.groupingBy(s -> s, Collectors.counting()));
            return states.getOrDefault(ShareState.ACCEPTED, 0L) == ids.size() ? Optional.of(states) : Optional.empty();
        }, Duration.ofSeconds(120), "1,000 offers accepted");
        System.out.printf("1,000 offers accepted in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertEquals(1000, calls("subscribe").stream().filter(ids::contains).distinct().count());
        // and the last one is followed: a file arriving there is validated
        String last = ids.get(ids.size() - 1);
        org.accomplishments.validator.share.Share share = registry.find(last).orElseThrow();
        daemon.control().deliver(last, ".extrainformation/email", "c@example.org\n".getBytes(StandardCharsets.UTF_8));
        daemon.control().deliver(last, COLLECTION + "/ok.trophy",
                trophyText("ok", "c@example.org").getBytes(StandardCharsets.UTF_8));
        awaitFile(share.folder().resolve(COLLECTION + "/ok.trophy.asc"), Duration.ofSeconds(5));
    }

    /** The same rule as the local backend's, from the core: a second folder under an accepted share's id is refused. */
    @Test
    void aSecondFolderListedUnderAnAcceptedSharesIdIsRefusedAndTheShareStaysPut() throws Exception {
        org.accomplishments.validator.share.Share alice = acceptedShare("judy");
        daemon.control().resetCalls();

        Path claimed = Path.of(daemon.control().claim(alice.id(), "Mallory", "x"));
        inbox.acceptOffers(); // NewShare for an id already followed starts no round: the offer timer's round, now

        var refusal = await(() -> registry.latestClaimRefusals(500).stream()
                .filter(r -> r.shareId().equals(alice.id())).findFirst(), Duration.ofSeconds(20), "a refused claim");
        assertEquals("share-id-in-use", refusal.reason());
        assertEquals(claimed.toString(), refusal.folder());
        var share = registry.find(alice.id()).orElseThrow();
        assertEquals(ShareState.ACCEPTED, share.state());
        assertEquals(alice.folder(), share.folder());
        assertTrue(calls("reject_share").isEmpty(), "the genuine share is not rejected at the daemon: "
                + daemon.control().calls().size());
        daemon.control().deliver(alice.id(), COLLECTION + "/ok.trophy",
                trophyText("ok", "judy@example.org").getBytes(StandardCharsets.UTF_8));
        String signed = awaitFile(alice.folder().resolve(COLLECTION + "/ok.trophy.asc"), Duration.ofSeconds(10));
        assertTrue(signed.contains("share-id = " + alice.id()), signed);
        assertTrue(Files.list(claimed).findAny().isEmpty(), "nothing written into the claiming folder");
    }
}
