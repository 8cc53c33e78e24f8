package org.accomplishments.validator.audit;

import jakarta.inject.Singleton;
import org.accomplishments.validator.trophy.OneLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * Every issuing, revocation, login (good or bad) and admin action, in order. Rows are only ever added; the log
 * line beside each one makes the record survive in the journal even if the database is lost.
 */
@Singleton
public class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger("audit");

    private final AuditRepository rows;
    private final Clock clock;

    public AuditLog(AuditRepository rows, Clock clock) {
        this.rows = rows;
        this.clock = clock;
    }

    public void record(String actor, String action, String subject, String detail, String remote) {
        AuditRow row = rows.save(new AuditRow(null, clock.instant(), clip(actor, 64), clip(action, 40),
                clip(subject, 400), clip(detail, 2000), clip(remote, 100)));
        LOG.info("audit #{} actor={} action={} subject={} detail={} remote={}", row.id(), row.actor(), row.action(),
                row.subject(), row.detail(), row.remote());
    }

    public List<AuditRow> page(Long beforeId, int limit) {
        return rows.page(beforeId == null ? Long.MAX_VALUE : beforeId, limit);
    }

    private static String clip(String value, int max) {
        // One line: a newline in a user name or note must not forge a second log record.
        return value == null ? null : OneLine.of(value, max);
    }
}
