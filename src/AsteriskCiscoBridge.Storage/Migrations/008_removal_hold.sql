-- An answer of Asterisk the service holds instead of applying because it would strip many phones at once
-- (AsteriskCiscoBridge.Provisioning.Inventory.RemovalGuard): what was held, since when, and whether an
-- admin accepted it (acb sync --accept-removals). One row at most; deleted when the answer is applied or
-- Asterisk's answer no longer strips.
CREATE TABLE removal_hold (
    id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    answer      TEXT    NOT NULL,  -- RemovalGuard.AnswerKey of the held answer
    reason      TEXT    NOT NULL,  -- 'empty-answer' or 'mass-withdrawal'
    first_seen  TEXT    NOT NULL,
    last_seen   TEXT    NOT NULL,
    endpoints   INTEGER NOT NULL,  -- endpoints in the held answer
    bound       INTEGER NOT NULL,  -- phones served at least one line by what is applied
    phones      TEXT    NOT NULL,  -- JSON [{"mac", "endpoints": [...], "kept"}]: the phones it takes lines from
    accepted_at TEXT    NULL,
    accepted_by TEXT    NULL
) STRICT;
