package org.accomplishments.validator.issuing;

import jakarta.inject.Singleton;
import org.accomplishments.validator.trophy.RevocationList;
import org.accomplishments.validator.validation.Signatures;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signed revocation list of {@code GET /api/revocations}. Signing it on every request would let anyone make the
 * appliance sign in a loop, so the armored list is kept and signed again only after a revocation here, or at most
 * once a minute (another node may have revoked, or the key rotated).
 */
@Singleton
public class RevocationPublisher {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RevocationPublisher.class);
    private static final Duration MAX_AGE = Duration.ofMinutes(1);

    private final IssuedTrophyRepository issued;
    private final IssuedSignatureRepository resigned;
    private final RevocationSerial serial;
    private final Signatures signatures;
    private final Clock clock;
    private volatile Cached cached;

    private record Cached(String armored, Instant at) {
    }

    public RevocationPublisher(IssuedTrophyRepository issued, IssuedSignatureRepository resigned,
                               RevocationSerial serial, Signatures signatures, Clock clock,
                               HumanIssuedTrophies trophies) {
        this.issued = issued;
        this.resigned = resigned;
        this.serial = serial;
        this.signatures = signatures;
        this.clock = clock;
        trophies.onRevocation(() -> cached = null);
    }

    public String armored() {
        Cached now = cached;
        if (now != null && now.at().plus(MAX_AGE).isAfter(clock.instant())) {
            return now.armored();
        }
        synchronized (this) {
            if (cached != null && cached.at().plus(MAX_AGE).isAfter(clock.instant())) {
                return cached.armored();
            }
            long number = serial.forPublishing();
            Map<String, RevocationList.Entry> entries = new LinkedHashMap<>();
            Map<Long, IssuedTrophyRow> revoked = new HashMap<>();
            for (IssuedTrophyRow r : issued.findRevoked()) {
                revoked.put(r.id(), r);
                entries.put(r.signedTextSha256(), new RevocationList.Entry(r.signedTextSha256(), r.revokedAt(),
                        r.accomplishmentId(), r.shareId()));
            }
            for (IssuedSignatureRow s : resigned.findOfRevoked()) {
                IssuedTrophyRow r = revoked.get(s.issuedId());
                if (r != null) {
                    entries.putIfAbsent(s.signedTextSha256(), new RevocationList.Entry(s.signedTextSha256(),
                            r.revokedAt(), r.accomplishmentId(), r.shareId()));
                }
            }
            Instant at = clock.instant();
            List<RevocationList.Entry> list = List.copyOf(entries.values());
            String armored = signatures.sign(key -> RevocationList.compose(list, at, key, number)).armored();
            try {
                serial.published(number);
            } catch (IOException e) {
                LOG.warn("could not keep the revocation list's serial {} beside the key: {}", number, e.toString());
            }
            cached = new Cached(armored, at);
            return armored;
        }
    }
}
