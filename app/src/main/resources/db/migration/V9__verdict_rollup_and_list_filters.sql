-- Seeing what happens (issue 14): verdicts over time and filtered trophy lists at a million trophies.
-- Written in the subset of SQL that PostgreSQL and H2 (MODE=PostgreSQL) both run.

-- Verdicts per minute and per hour, by the state a trophy moved to (SIGNED, REJECTED, WAITING, IGNORED, REVOKED;
-- ISSUED for awards people made), rolled up from the append-only trophy_event by a periodic job (VerdictRollup)
-- instead of counters in the ledger's write path. latency_*: time from first seen to a final verdict (signed,
-- rejected), a histogram with the upper bounds 1 s, 10 s, 1 min, 10 min, 1 h, 1 d and beyond.
CREATE TABLE verdict_rollup (
    bucket_seconds INTEGER      NOT NULL,              -- 60 (kept a few days) or 3600 (kept)
    bucket_start   TIMESTAMP WITH TIME ZONE NOT NULL,
    state          VARCHAR(20)  NOT NULL,
    verdicts       BIGINT       NOT NULL,
    latency_ms_sum BIGINT       NOT NULL,
    latency_1s     BIGINT       NOT NULL,
    latency_10s    BIGINT       NOT NULL,
    latency_1m     BIGINT       NOT NULL,
    latency_10m    BIGINT       NOT NULL,
    latency_1h     BIGINT       NOT NULL,
    latency_1d     BIGINT       NOT NULL,
    latency_more   BIGINT       NOT NULL,
    CONSTRAINT verdict_rollup_key PRIMARY KEY (bucket_seconds, bucket_start, state)
);

-- How far the rollup has read trophy_event (one row). rolled_up_to: the last event id counted; head: the highest
-- event id seen at the previous run, the limit of the next one (an id allocated that long ago is committed or gone,
-- so none is skipped by a transaction that commits late). The job's first statement locks this row: one node rolls up.
CREATE TABLE verdict_rollup_state (
    id           INTEGER NOT NULL PRIMARY KEY,
    rolled_up_to BIGINT  NOT NULL,
    head         BIGINT  NOT NULL,
    run_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT verdict_rollup_state_one_row CHECK (id = 1)
);
INSERT INTO verdict_rollup_state (id, rolled_up_to, head, run_at) VALUES (1, 0, 0, CURRENT_TIMESTAMP);

-- Filtered lists newest first (by share, accomplishment, reason), each walked from one end like trophy_state_id.
CREATE INDEX trophy_share_id ON trophy (share_id, id);
CREATE INDEX trophy_accomplishment_id ON trophy (accomplishment_id, id);
CREATE INDEX trophy_reason_id ON trophy (reason, id);
CREATE INDEX issued_trophy_owner ON issued_trophy (owner, id);
CREATE INDEX issued_trophy_accomplishment ON issued_trophy (accomplishment_id, id);
