package org.accomplishments.validator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Issue 12: the timer's rescan skips a share whose folders' mtimes did not move since its last listing. Whatever
 * that skips must still be found by a later, bounded pass: with file events off, only the timers find anything.
 */
@MicronautTest(transactional = false)
class UntouchedSharesRescanTest extends PipelineScenario {

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of("ok", "exit 0");
    }

    @Override
    protected Map<String, String> extraProperties() {
        // The test is the timer: it calls the rescans itself, with no events to help.
        return Map.of("validator.shares.events", "false", "validator.shares.rescan-interval", "1h",
                "validator.shares.offer-interval", "1h");
    }

    @Test
    void anUntouchedShareIsSkippedANewTrophyIsFoundAtTheNextTickAndAnInPlaceRewriteByTheFullPass() throws Exception {
        Share share = newShare("quiet", "quiet@example.org");
        putTrophy(share, "ok", "quiet@example.org");
        inbox.acceptOffers();
        awaitState(share, "ok", TrophyState.SIGNED, Duration.ofSeconds(30));
        String firstDigest = row(share, "ok").orElseThrow().sha256();

        // Folders last changed long ago (an mtime of the last two seconds is not trusted), then listed once.
        age(share);
        inbox.rescanAll(true);
        TrophyInbox.Summary tick = inbox.rescanAll(false);
        assertEquals(1, tick.skipped(), "the untouched share is skipped: " + tick);

        // Rewritten in place: same name, new bytes; no directory entry changes, so no directory mtime moves.
        Files.writeString(share.trophy("ok"), trophyText("ok", "quiet@example.org") + "nick = rewritten\n");
        assertEquals(1, inbox.rescanAll(false).skipped(), "a rewrite in place is not seen by a tick");
        assertEquals(firstDigest, row(share, "ok").orElseThrow().sha256());
        int ticks = 0;
        while (row(share, "ok").orElseThrow().sha256().equals(firstDigest)) {
            assertTrue(ticks < 10, "the rewrite was not found within 10 timer rescans");
            inbox.rescanAll();
            ticks++;
        }
        assertTrue(ticks >= 1 && ticks <= 10, "found by the full pass, timer rescan " + ticks);

        // A new trophy is a new entry: its folder's mtime moves and the next tick lists the share.
        age(share);
        inbox.rescanAll(true);
        putTrophy(share, "second", "quiet@example.org");
        TrophyInbox.Summary next = inbox.rescanAll(false);
        assertEquals(0, next.skipped(), "the changed share is listed: " + next);
        assertTrue(row(share, "second").isPresent(), "the new trophy is in the ledger");
    }

    /** Sets the share folder's and its collection folder's mtimes an hour back. */
    private static void age(Share share) throws IOException {
        FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        Path collection = share.trophy("ok").getParent();
        Files.setLastModifiedTime(collection, hourAgo);
        Files.setLastModifiedTime(share.folder(), hourAgo);
        Files.setLastModifiedTime(share.folder().resolve(".extrainformation"), hourAgo);
    }
}
