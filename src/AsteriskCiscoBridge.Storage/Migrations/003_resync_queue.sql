-- The resync queue: one row per phone that still owes the bridge a fetch of its changed files.
-- Written in the same transaction as the change, so a crash can neither lose a phone's resync
-- nor, thanks to the 'sending' state committed before each NOTIFY, send one twice.
--   pending          changed, to be planned from the next snapshot
--   waiting-contact  no live contact; planned again when a snapshot shows one
--   deferred         in a call; planned again when idle or at deadline (the call-defer deadline)
--   sending          a NOTIFY is going out (on start: treated as sent, never sent again)
--   awaiting-fetch   Asterisk accepted the NOTIFY; the phone must fetch by deadline, else the next rung
--   stale            no fetch after the last rung (reason); stays until the phone fetches or an admin resyncs
CREATE TABLE resync_queue (
    mac            TEXT    NOT NULL PRIMARY KEY REFERENCES phones (mac) ON DELETE CASCADE,
    state          TEXT    NOT NULL CHECK (state IN ('pending', 'waiting-contact', 'deferred', 'sending', 'awaiting-fetch', 'stale')),
    reason         TEXT    NOT NULL,
    changed_at     TEXT    NOT NULL,
    endpoint       TEXT    NULL,
    kind           TEXT    NULL CHECK (kind IN ('check-sync', 'restart', 'reset')),
    attempt        INTEGER NOT NULL DEFAULT 0,
    sent_at        TEXT    NULL,
    deadline       TEXT    NULL,
    deferred_since TEXT    NULL,
    updated_at     TEXT    NOT NULL
) STRICT;

-- No index on state: the queue holds only phones in flight, a scan is cheap, and each state move
-- (one commit before every NOTIFY) then writes one b-tree page instead of two.
