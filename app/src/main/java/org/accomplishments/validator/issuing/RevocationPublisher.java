package org.accomplishments.validator.issuing;

import jakarta.inject.Singleton;
import org.accomplishments.validator.trophy.RevocationList;
import org.accomplishments.validator.validation.Signatures;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The signed revocation list of {@code GET /api/revocations}. Signing it on every request would let anyone make the
 * appliance sign in a loop, so the armored list is kept and signed again only after a revocation here, or at most
 * once a minute (another node may have revoked, or the key rotated).
 */
@Singleton
public class RevocationPublisher {
    private static final Duration MAX_AGE = Duration.ofMinutes(1);

    private final IssuedTrophyRepository issued;
    private final Signatures signatures;
    private final Clock clock;
    private volatile Cached cached;

    private record Cached(String armored, Instant at) {
    }

    public RevocationPublisher(IssuedTrophyRepository issued, Signatures signatures, Clock clock,
                               HumanIssuedTrophies trophies) {
        this.issued = issued;
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
            List<RevocationList.Entry> entries = issued.findRevoked().stream().map(r -> new RevocationList.Entry(
                    r.signedTextSha256(), r.revokedAt(), r.accomplishmentId(), r.shareId())).toList();
            Instant at = clock.instant();
            String armored = signatures.sign(key -> RevocationList.compose(entries, at, key)).armored();
            cached = new Cached(armored, at);
            return armored;
        }
    }
}
