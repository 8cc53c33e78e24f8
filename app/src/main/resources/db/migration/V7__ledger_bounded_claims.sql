-- Every hot statement of the ledger by primary key or a bounded index range (issue 12).
-- Open rows are exactly those with a next attempt (a verdict, a close or a claim's lease end sets or clears it), so
-- the due work is the start of one index in the order it is taken: a claim reads its batch and stops there, however
-- long the backlog is. (trophy_due, by state first, had to merge four ranges and sort the whole backlog; it stays for
-- the overview's list of waiting rows by their next attempt.)
CREATE INDEX trophy_next_attempt ON trophy (next_attempt_at, id);
-- The rows a claim took, read back by its token in the same round.
CREATE INDEX trophy_lease_owner ON trophy (lease_owner);
-- Waking the rows of one share that wait for a dependency reads only that share's waiting rows.
CREATE INDEX trophy_share_waiting ON trophy (share_id, state, reason);
