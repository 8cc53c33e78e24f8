package org.accomplishments.validator.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's transactions on the H2 version of the pom, killed with SIGKILL at random moments and reopened as the
 * service reopens its file (URL, Flyway): afterwards every index of {@code trophy} and {@code trophy_event} agrees
 * with its table and the service's startup UPDATEs do not throw (docs/benchmarks.md "H2 and kill -9"). A fixed number
 * of kills bounds the time; it guards an H2 upgrade or a larger transaction, it does not prove a rare failure absent.
 *
 * <p>H2 2.3.232, 2.4.240 and 2.5.252 all fail it now and then (on 2.3.232 after 1 kill in 8 to 1 in 25, by
 * shape), so it runs only when asked, before an H2 upgrade or a change of transaction shape:
 * {@code -Dit.h2kill=true}. Sizes: {@code -Dit.h2kill.kills=6} per shape.
 */
@EnabledIfSystemProperty(named = "it.h2kill", matches = "true")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class H2KillConsistencyIT {

    private static final int KILLS = Integer.getInteger("it.h2kill.kills", 6);

    @TempDir
    Path temp;

    @Test
    void discoveriesOnePerTransactionKilledWhileWritingLeaveEveryIndexInAgreementWithItsTable() throws Exception {
        H2KillLoop.Result r = loop("one").run("one", KILLS, "", 100, 1500);
        assertEquals(0, r.failures(), r.toString());
    }

    @Test
    void workersAndDiscoveriesTogetherKilledWhileWritingLeaveEveryIndexInAgreementWithItsTable() throws Exception {
        H2KillLoop.Result r = loop("mix").run("mix", KILLS, "", 100, 1500);
        assertEquals(0, r.failures(), r.toString());
    }

    private H2KillLoop loop(String name) {
        return new H2KillLoop(temp.resolve(name), H2KillLoop.currentH2Version(), 20261204L);
    }
}
