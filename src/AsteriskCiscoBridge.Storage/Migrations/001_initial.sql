-- Phones the bridge knows, with the version of the files last stored for each.
CREATE TABLE phones (
    mac           TEXT    NOT NULL PRIMARY KEY CHECK (length(mac) = 12),
    model         TEXT    NOT NULL,
    load          TEXT    NULL,
    sync_counter  INTEGER NOT NULL DEFAULT 0,
    sync_value    TEXT    NULL,
    version_stamp TEXT    NULL,
    content_hash  TEXT    NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    rendered_at   TEXT    NULL
) STRICT;

-- The bridge's own MAC bindings: endpoints in button order, with the line data recorded with them.
CREATE TABLE bindings (
    mac          TEXT    NOT NULL REFERENCES phones (mac) ON DELETE CASCADE,
    position     INTEGER NOT NULL CHECK (position >= 1),
    endpoint     TEXT    NOT NULL,
    extension    TEXT    NULL,
    auth_user    TEXT    NULL,
    password     TEXT    NULL,
    display_name TEXT    NULL,
    caller_id    TEXT    NULL,
    label        TEXT    NULL,
    PRIMARY KEY (mac, position)
) STRICT;

CREATE INDEX bindings_endpoint ON bindings (endpoint);

-- Each phone's own rendered files, by the exact name the phone requests.
CREATE TABLE rendered_files (
    mac     TEXT NOT NULL REFERENCES phones (mac) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    content BLOB NOT NULL,
    sha256  TEXT NOT NULL,
    PRIMARY KEY (mac, name)
) STRICT;

-- Files shared by every phone of the site (SIPDefault.cnf, dialplan.xml…).
CREATE TABLE site_files (
    name       TEXT NOT NULL PRIMARY KEY,
    content    BLOB NOT NULL,
    sha256     TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE request_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT    NOT NULL,
    client    TEXT    NOT NULL,
    file_name TEXT    NOT NULL,
    mac       TEXT    NULL,
    outcome   TEXT    NOT NULL,
    bytes     INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX request_log_mac_at ON request_log (mac, at);

CREATE TABLE notify_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    mac      TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    event    TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    detail   TEXT NULL
) STRICT;

CREATE INDEX notify_log_mac_at ON notify_log (mac, at);

CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    mac    TEXT NULL,
    detail TEXT NULL
) STRICT;
