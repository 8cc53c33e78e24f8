package org.accomplishments.validator.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login attempts per remote address in a sliding minute. Together with the per-account lockout (in the database,
 * so it holds across nodes and restarts) and the cost of Argon2id, it makes guessing slow: an address gets
 * {@code validator.web.login-attempts-per-minute} tries, an account {@code login-max-failures} wrong passwords
 * before it is locked for {@code login-lockout}.
 */
final class LoginThrottle {
    private static final int MAX_TRACKED = 100_000;
    private final Map<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();
    private final int perMinute;
    private final Clock clock;

    LoginThrottle(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Counts one attempt; false when the address used up its minute. */
    boolean tryAcquire(String remote) {
        Instant now = clock.instant();
        Instant since = now.minus(Duration.ofMinutes(1));
        if (attempts.size() > MAX_TRACKED) {
            prune(since);
        }
        Deque<Instant> window = attempts.computeIfAbsent(remote, r -> new ArrayDeque<>());
        synchronized (window) {
            while (!window.isEmpty() && window.peekFirst().isBefore(since)) {
                window.pollFirst();
            }
            if (window.size() >= perMinute) {
                return false;
            }
            window.addLast(now);
            return true;
        }
    }

    private void prune(Instant since) {
        for (Iterator<Map.Entry<String, Deque<Instant>>> it = attempts.entrySet().iterator(); it.hasNext(); ) {
            Deque<Instant> window = it.next().getValue();
            synchronized (window) {
                if (window.isEmpty() || window.peekLast().isBefore(since)) {
                    it.remove();
                }
            }
        }
    }
}
