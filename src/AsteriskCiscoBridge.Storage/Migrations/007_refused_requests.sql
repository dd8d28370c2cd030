-- Requests turned away before any file was looked up for them (malformed, a refused option, outside
-- Tftp:AllowedNetworks, a write request or a refused name), throttled by the scan guard or the rate
-- limit, or turned away busy: counted per client address and minute, never a request_log row each, so a
-- flood of hostile datagrams adds a row per address and minute. address is the client address without
-- its port ('http:' in front for the HTTP file service); '*' holds the addresses of a minute beyond the
-- number kept apart. minute is the start of the minute in the timestamp layout of every table.
CREATE TABLE refused_requests (
    minute    TEXT    NOT NULL,
    address   TEXT    NOT NULL,
    malformed INTEGER NOT NULL DEFAULT 0,
    denied    INTEGER NOT NULL DEFAULT 0,
    guarded   INTEGER NOT NULL DEFAULT 0,
    busy      INTEGER NOT NULL DEFAULT 0,
    first_at  TEXT    NOT NULL,
    last_at   TEXT    NOT NULL,
    last_file TEXT    NULL,
    PRIMARY KEY (minute, address)
) STRICT, WITHOUT ROWID;
