package org.accomplishments.validator.share.syncdaemon;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.accomplishments.validator.share.ShareState;
import org.accomplishments.validator.validation.PipelineScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One offer the sync daemon never answers (issue 10, item 7), with the real answer timeout of a slow daemon (20 s)
 * and the offer and rescan timers at an hour: only signals drive the service. The silent offer must delay nobody:
 * the 200 offers behind it are accepted at once, a {@code DownloadFinished} in an accepted share is signed while it
 * waits, and when its time is up it backs off on its own schedule, kept in its row.
 */
@MicronautTest(transactional = false)
class SilentOfferTest extends PipelineScenario {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);
    private final TestBus bus = new TestBus();
    private TestSyncDaemon daemon;

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of("ok", "exit 0");
    }

    @Override
    protected Map<String, String> extraProperties() {
        daemon = new TestSyncDaemon(bus.address(), dataDir);
        Map<String, String> p = new HashMap<>(SyncDaemonScenariosTest.syncDaemonProperties(bus));
        p.put("validator.shares.syncdaemon.answer-timeout", ANSWER_TIMEOUT.toSeconds() + "s");
        p.put("validator.shares.offer-interval", "1h");
        p.put("validator.shares.rescan-interval", "1h");
        p.put("validator.shares.offers.retry-initial-delay", "10m");
        p.put("validator.shares.offers.retry-max-delay", "1h");
        return p;
    }

    @AfterAll
    void stopDaemonAndBus() {
        daemon.close();
        bus.close();
    }

    private List<String> calls(String member, String argument) {
        return daemon.control().calls().stream().filter(c -> c.member.equals(member) && c.argument.equals(argument))
                .map(c -> c.argument).toList();
    }

    @Test
    void oneSilentOfferHoldsUpNeitherTwoHundredOthersNorTheFileEvents() throws Exception {
        String first = daemon.control().offer("ivan", "Ivan", "ivan Trophies Folder");
        var ivan = await(() -> registry.find(first).filter(s -> s.accepted()), Duration.ofSeconds(20), "ivan accepted");
        daemon.control().deliver(first, ".extrainformation/email", "ivan@example.org\n".getBytes(StandardCharsets.UTF_8));

        daemon.control().setAnswer("silent");
        String silent = daemon.control().offer("sam", "Sam", "sam Trophies Folder");
        daemon.control().setAnswerFor(silent, "silent");
        daemon.control().setAnswer("yes");
        await(() -> calls("accept_share", silent).isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(1),
                Duration.ofSeconds(10), "accept_share sent for the silent offer");
        long asked = System.nanoTime();

        long start = System.nanoTime();
        List<String> ids = daemon.control().offerMany(200, "later");
        // While the silent offer waits, a file arriving in an accepted share is signed.
        Path asc = ivan.folder().resolve(COLLECTION + "/ok.trophy.asc");
        daemon.control().deliver(first, COLLECTION + "/ok.trophy",
                trophyText("ok", "ivan@example.org").getBytes(StandardCharsets.UTF_8));
        awaitFile(asc, Duration.ofSeconds(10));
        long signedAfter = (System.nanoTime() - asked) / 1_000_000;

        await(() -> ids.stream().allMatch(id -> registry.find(id).filter(s -> s.accepted()).isPresent())
                ? java.util.Optional.of(true) : java.util.Optional.empty(), Duration.ofSeconds(60),
                "200 offers accepted behind the silent one");
        long acceptedMillis = (System.nanoTime() - start) / 1_000_000;
        long silentFor = (System.nanoTime() - asked) / 1_000_000;
        System.out.printf("200 offers accepted in %d ms, DownloadFinished signed %d ms after the silent accept was "
                + "sent; the silent offer had waited %d ms%n", acceptedMillis, signedAfter, silentFor);
        assertTrue(silentFor < ANSWER_TIMEOUT.toMillis(), "all of this happened while the silent offer was pending: "
                + silentFor + " ms");
        assertFalse(registry.find(silent).orElseThrow().accepted());

        // Its time up, it is recorded with the reason and backs off (10 minutes), in its row.
        var waiting = await(() -> registry.find(silent).filter(s -> s.reason() != null), ANSWER_TIMEOUT.plusSeconds(15),
                "the silent offer's time-out recorded");
        assertEquals(ShareState.OFFERED, waiting.state());
        assertTrue(waiting.reason().contains("no answer from the sync daemon to accept_share"), waiting.reason());
        assertNotNull(waiting.nextOfferAt());
        assertTrue(waiting.nextOfferAt().isAfter(Instant.now().plus(Duration.ofMinutes(9))), waiting.nextOfferAt().toString());
        inbox.acceptOffers();
        assertEquals(1, calls("accept_share", silent).size(), "not asked again before its back-off is over");
    }
}
