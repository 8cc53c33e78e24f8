package org.accomplishments.validator.validation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A share's first scan after the start removes the temporary files a killed service left mid-write, and only those:
 * one younger than this process is a write of ours in flight (an award issued the moment its share was accepted).
 */
@MicronautTest(transactional = false)
class TemporariesAtFirstScanTest extends PipelineScenario {

    @Override
    protected Map<String, String> accomplishments() {
        return Map.of("ok", "exit 0");
    }

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("validator.shares.events", "false", "validator.shares.rescan-interval", "1h",
                "validator.shares.offer-interval", "1h");
    }

    @Test
    void theFirstScanRemovesADeadWritersTemporaryButNotOneWrittenSinceTheStart() throws Exception {
        Share share = newShare("temps", "temps@example.org");
        putTrophy(share, "ok", "temps@example.org");
        Path collection = share.trophy("ok").getParent();
        Path leftByACrash = Files.writeString(collection.resolve(".accomplishments-validator-00000000000000aa.tmp"),
                "half an .asc of a service killed an hour ago");
        Files.setLastModifiedTime(leftByACrash, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path inFlight = Files.writeString(collection.resolve(".accomplishments-validator-00000000000000bb.tmp"),
                "an award being written right now");

        inbox.acceptOffers();
        awaitState(share, "ok", TrophyState.SIGNED, Duration.ofSeconds(30));

        assertFalse(Files.exists(leftByACrash), "a temporary older than this process is removed at the first scan");
        assertTrue(Files.exists(inFlight), "a temporary written since the start is a write in flight: left alone");
    }
}
