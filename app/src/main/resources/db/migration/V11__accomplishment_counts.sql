-- Trophies per accomplishment and state without counting the ledger (issue 14: /counts at a million trophies ran
-- into the statement timeout with its GROUP BY). Kept like trophy_state_count (V10): the verdict rollup adds each
-- state change read from trophy_event, in the transaction that moves the mark. Same SQL on PostgreSQL and H2.

-- The trophy's accomplishment as of each change, so an event says where it moves a trophy from and to. A trophy's
-- accomplishment is unknown until its file is read (a new row has none), so the trophy's current one would count
-- its first move under the wrong key. Filled on insert from the trophy row the same transaction just changed.
ALTER TABLE trophy_event ADD COLUMN accomplishment_id VARCHAR(300);
-- The history so far: the accomplishment its trophy has now, which is the one the start below counts it under
-- (a later event moves it away from there).
UPDATE trophy_event SET accomplishment_id = (SELECT t.accomplishment_id FROM trophy t WHERE t.id = trophy_event.trophy_id)
    WHERE kind <> 'script';

-- '' stands for no accomplishment (not read yet, or unreadable): a primary key cannot hold NULL.
CREATE TABLE trophy_accomplishment_count (
    accomplishment_id VARCHAR(300) NOT NULL,
    state             VARCHAR(20)  NOT NULL,
    trophies          BIGINT       NOT NULL,
    CONSTRAINT trophy_accomplishment_count_pk PRIMARY KEY (accomplishment_id, state)
);
-- Its own mark: a node still running the previous version moves counted_to without knowing this table.
ALTER TABLE verdict_rollup_state ADD COLUMN accomplishments_counted_to BIGINT DEFAULT 0 NOT NULL;

-- The ledger as it is now is the start: counted once here, then never again.
INSERT INTO trophy_accomplishment_count (accomplishment_id, state, trophies)
    SELECT COALESCE(accomplishment_id, ''), state, COUNT(*) FROM trophy GROUP BY COALESCE(accomplishment_id, ''), state;
UPDATE verdict_rollup_state SET accomplishments_counted_to = (SELECT COALESCE(MAX(id), 0) FROM trophy_event) WHERE id = 1;
