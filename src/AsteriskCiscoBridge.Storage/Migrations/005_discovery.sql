-- Which layer of the file tree answered a request (store, unbound, the firmware folder, guard,
-- rate-limit, pinning, pin-alert; NULL: the server itself, e.g. the allowlist), so 'acb log' can
-- explain each request.
ALTER TABLE request_log ADD COLUMN source TEXT NULL;

-- The discovery inbox: phones that asked for their own files (SEP<MAC>.cnf.xml, SIP<MAC>.cnf,
-- CTLSEP/ITLSEP<MAC>.tlv) while bound to nothing. Binding the MAC removes its row.
CREATE TABLE discovered_phones (
    mac           TEXT    NOT NULL PRIMARY KEY CHECK (length(mac) = 12),
    last_address  TEXT    NOT NULL,
    model_guess   TEXT    NULL,
    files         TEXT    NOT NULL,
    first_seen    TEXT    NOT NULL,
    last_seen     TEXT    NOT NULL,
    request_count INTEGER NOT NULL DEFAULT 0
) STRICT;
