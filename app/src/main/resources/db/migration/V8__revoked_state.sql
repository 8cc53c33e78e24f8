-- Revoked is a state of its own (issue 14): an award that was revoked is REVOKED, not ISSUED with a date beside it,
-- and the ledger row of its signed content is REVOKED, not SIGNED, so neither counts as signed any more.
-- Written in the subset of SQL that PostgreSQL and H2 (MODE=PostgreSQL) both run.
UPDATE issued_trophy SET state = 'REVOKED' WHERE revoked_at IS NOT NULL AND state = 'ISSUED';

INSERT INTO trophy_event (trophy_id, at, kind, state, detail)
SELECT t.id, CURRENT_TIMESTAMP, 'revoked', 'REVOKED', 'its award was revoked (recorded by migration V8)'
  FROM trophy t
 WHERE t.state IN ('SIGNED', 'SIGNING')
   AND EXISTS (SELECT 1 FROM issued_trophy i
                WHERE i.share_id = t.share_id AND i.path = t.path AND i.trophy_sha256 = t.sha256
                  AND i.revoked_at IS NOT NULL);

UPDATE trophy SET state = 'REVOKED', next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL
 WHERE state IN ('SIGNED', 'SIGNING')
   AND EXISTS (SELECT 1 FROM issued_trophy i
                WHERE i.share_id = trophy.share_id AND i.path = trophy.path AND i.trophy_sha256 = trophy.sha256
                  AND i.revoked_at IS NOT NULL);
