-- Resync proof and retries (reliability catalogue §5.5 cases 29 and 30). The queue gains two states,
-- so the table is rebuilt (SQLite cannot change a CHECK constraint in place); rows keep what they held.
--   awaiting-registration  fetched its changed files (fetched_at); proven when a registration not in
--                          registrations appears, stale ("fetched but did not register") at deadline
--   retry                  Asterisk answered the NOTIFY with an Error; sent again at deadline
-- New columns:
--   fetched_at     the last fetch of its own files after its change
--   registrations  the Call-IDs of its registrations when the NOTIFY went (or when it fetched unasked),
--                  one per line: a registration not among them is the phone coming back
--   refused        NOTIFYs of this change Asterisk answered with an Error
--   failed         NOTIFYs of this change lost with the AMI session
-- A stale row with fetched_at is still proven by a later registration.
CREATE TABLE resync_queue_009 (
    mac            TEXT    NOT NULL PRIMARY KEY REFERENCES phones (mac) ON DELETE CASCADE,
    state          TEXT    NOT NULL CHECK (state IN ('pending', 'waiting-contact', 'deferred', 'sending', 'awaiting-fetch', 'awaiting-registration', 'retry', 'stale')),
    reason         TEXT    NOT NULL,
    changed_at     TEXT    NOT NULL,
    endpoint       TEXT    NULL,
    kind           TEXT    NULL CHECK (kind IN ('check-sync', 'restart', 'reset')),
    attempt        INTEGER NOT NULL DEFAULT 0,
    sent_at        TEXT    NULL,
    deadline       TEXT    NULL,
    deferred_since TEXT    NULL,
    updated_at     TEXT    NOT NULL,
    fetched_at     TEXT    NULL,
    registrations  TEXT    NULL,
    refused        INTEGER NOT NULL DEFAULT 0,
    failed         INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO resync_queue_009 (mac, state, reason, changed_at, endpoint, kind, attempt, sent_at, deadline, deferred_since, updated_at)
SELECT mac, state, reason, changed_at, endpoint, kind, attempt, sent_at, deadline, deferred_since, updated_at FROM resync_queue;

DROP TABLE resync_queue;
ALTER TABLE resync_queue_009 RENAME TO resync_queue;

-- Where each phone was last reachable: the first live contact of its lines, as Asterisk last listed it.
-- When every endpoint of a phone is removed, PJSIPNotify Endpoint: has nothing to address; the NOTIFY
-- then goes to this URI (PJSIPNotify URI:, sent from default_outbound_endpoint) so the phone drops its
-- old lines now, not at its next boot.
CREATE TABLE phone_contacts (
    mac       TEXT NOT NULL PRIMARY KEY REFERENCES phones (mac) ON DELETE CASCADE,
    endpoint  TEXT NOT NULL,
    uri       TEXT NOT NULL,
    call_id   TEXT NULL,
    seen_at   TEXT NOT NULL
) STRICT;
