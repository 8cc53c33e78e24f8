-- The dashboard at a million trophies (issue 14): counts by state without counting the table, and list filters
-- that each walk one index from its newest end. Written in the subset of SQL that PostgreSQL and H2
-- (MODE=PostgreSQL) both run.

-- Trophies per state, kept by the verdict rollup (VerdictRollup, StateCounts) from trophy_event, where every state
-- change is a row: each event after the previous one of its trophy moves one trophy from that event's state to its
-- own. The rollup adds a chunk's moves in the same transaction that moves counted_to, so a crash counts nothing
-- twice; a reader adds the few events after counted_to itself. Nothing is added to the ledger's write path.
CREATE TABLE trophy_state_count (
    state    VARCHAR(20) NOT NULL PRIMARY KEY,
    trophies BIGINT      NOT NULL
);
-- The last trophy_event id the counts include.
ALTER TABLE verdict_rollup_state ADD COLUMN counted_to BIGINT DEFAULT 0 NOT NULL;

-- The ledger as it is now is the start: counted once here, then never again.
INSERT INTO trophy_state_count (state, trophies) SELECT state, COUNT(*) FROM trophy GROUP BY state;
UPDATE verdict_rollup_state SET counted_to = (SELECT COALESCE(MAX(id), 0) FROM trophy_event) WHERE id = 1;

-- A reason and a state together (rejected for one reason; waiting on unmet dependencies): trophy_reason_id walked
-- every row of that reason in other states too, or the planner took trophy_state_id and sorted the whole state.
CREATE INDEX trophy_reason_state_id ON trophy (reason, state, id);
-- One accomplishment (or a collection's) in one state: the same for an accomplishment with many trophies.
CREATE INDEX trophy_accomplishment_state_id ON trophy (accomplishment_id, state, id);
