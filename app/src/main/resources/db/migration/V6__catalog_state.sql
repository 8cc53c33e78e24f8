-- What the loaded collections looked like when the ledger's configuration-dependent verdicts
-- (unknown-accomplishment, no-logic-script, not-global) were last brought up to date. A load whose fingerprint
-- differs (or the first load after an upgrade: no row) re-validates them; the conditional update lets exactly one
-- node of a cluster do it.
CREATE TABLE catalog_state (
    id               INTEGER      NOT NULL PRIMARY KEY,   -- always 1
    fingerprint      CHAR(64)     NOT NULL,              -- CatalogLoaded.fingerprintOf: ids, global flag, logic script
    accomplishments  INTEGER      NOT NULL,
    changed_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
