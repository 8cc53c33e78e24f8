package org.accomplishments.validator.issuing;

import io.micronaut.context.annotation.Value;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.time.Clock;

/**
 * The revocation list's serial: it grows in the same transaction as each revocation and is never reset. The highest
 * serial published is also kept beside the validation key ({@code <data-dir>/keys/revocation-serial}), so even a
 * database that was lost and recreated publishes a serial above every earlier one: the serial resets only with the
 * key, and a list signed by another key is refused by a verifier anyway.
 */
@Singleton
public class RevocationSerial {
    static final String FILE = "revocation-serial";

    private final IssuedTrophyRepository issued;
    private final Path floorFile;
    private final Clock clock;

    public RevocationSerial(IssuedTrophyRepository issued, @Value("${validator.data-dir}") Path dataDir, Clock clock) {
        this.issued = issued;
        this.floorFile = dataDir.resolve("keys").resolve(FILE);
        this.clock = clock;
    }

    /** Revokes and moves the serial on, together; false when the award was not revocable. */
    @Transactional
    public boolean revoke(long id, String by, String reason) {
        if (issued.revoke(id, clock.instant(), by, reason) != 1) {
            return false;
        }
        issued.bumpRevocationSerial(clock.instant());
        return true;
    }

    /** The serial the next list carries: the database's, raised past the floor beside the key when that is higher. */
    @Transactional
    public long forPublishing() {
        long floor = readFloor();
        long serial = issued.revocationSerial();
        if (serial <= floor) {
            serial = floor + 1; // the database is younger than the key: its list may differ from the last one seen
            issued.raiseRevocationSerial(serial, clock.instant());
        }
        return serial;
    }

    /** Remembers beside the key that {@code serial} was published (atomically: temporary file, fsync, rename). */
    public void published(long serial) throws IOException {
        if (serial <= readFloor() || !Files.isDirectory(floorFile.getParent())) {
            return;
        }
        Path temporary = floorFile.resolveSibling(FILE + ".tmp");
        Files.writeString(temporary, serial + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(temporary, floorFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, floorFile, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private long readFloor() {
        try {
            return Files.isRegularFile(floorFile) ? Long.parseLong(Files.readString(floorFile).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
