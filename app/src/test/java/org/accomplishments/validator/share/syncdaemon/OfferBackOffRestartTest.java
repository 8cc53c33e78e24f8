package org.accomplishments.validator.share.syncdaemon;

import io.micronaut.context.ApplicationContext;
import org.accomplishments.validator.share.Share;
import org.accomplishments.validator.share.ShareRegistry;
import org.accomplishments.validator.share.ShareState;
import org.accomplishments.validator.validation.TrophyInbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An offer the sync daemon did not answer backs off on a schedule kept in its row: after a restart of the service
 * it is still not asked again before its time, while a new offer is accepted at once.
 */
class OfferBackOffRestartTest {
    @TempDir
    Path data;

    private Map<String, Object> properties(TestBus bus) {
        Map<String, Object> p = new HashMap<>(SyncDaemonScenariosTest.syncDaemonProperties(bus));
        p.put("validator.data-dir", data.toString());
        p.put("validator.collections.path", data.resolve("collections").toString());
        p.put("micronaut.server.port", "-1");
        p.put("validator.shares.offer-interval", "1s");
        p.put("validator.shares.offers.retry-initial-delay", "10m");
        p.put("validator.shares.offers.retry-max-delay", "1h");
        return p;
    }

    private static <T> T await(Supplier<Optional<T>> probe, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            TestBus.sleep(50);
        }
        fail("timed out after " + timeout + ": " + what);
        return null;
    }

    private static long acceptCalls(TestSyncDaemon daemon, String id) {
        return daemon.control().calls().stream().filter(c -> c.member.equals("accept_share") && c.argument.equals(id))
                .count();
    }

    @Test
    void anUnansweredOffersBackOffSurvivesARestart() {
        try (TestBus bus = new TestBus(); TestSyncDaemon daemon = new TestSyncDaemon(bus.address(), data)) {
            daemon.control().setAnswer("silent");
            String silent = daemon.control().offer("sam", "Sam", "sam Trophies Folder");
            Instant next;
            try (ApplicationContext service = ApplicationContext.run(properties(bus))) {
                ShareRegistry registry = service.getBean(ShareRegistry.class);
                Share waiting = await(() -> registry.find(silent).filter(s -> s.reason() != null),
                        Duration.ofSeconds(20), "the silent offer's time-out recorded");
                assertEquals(ShareState.OFFERED, waiting.state());
                next = waiting.nextOfferAt();
                assertTrue(next != null && next.isAfter(Instant.now().plus(Duration.ofMinutes(9))), String.valueOf(next));
            }
            assertEquals(1, acceptCalls(daemon, silent));
            daemon.control().setAnswer("yes");

            try (ApplicationContext service = ApplicationContext.run(properties(bus))) {
                ShareRegistry registry = service.getBean(ShareRegistry.class);
                String fresh = daemon.control().offer("tina", "Tina", "tina Trophies Folder");
                await(() -> registry.find(fresh).filter(Share::accepted), Duration.ofSeconds(20), "the new offer accepted");
                service.getBean(TrophyInbox.class).acceptOffers(); // and a few more rounds (the timer ticks every second)
                TestBus.sleep(2500);

                assertEquals(1, acceptCalls(daemon, silent), "asked again before its back-off was over");
                Share still = registry.find(silent).orElseThrow();
                assertEquals(ShareState.OFFERED, still.state());
                assertEquals(next, still.nextOfferAt());
            }
        } catch (org.accomplishments.validator.share.ShareBackendException e) {
            throw new AssertionError(e);
        }
    }
}
