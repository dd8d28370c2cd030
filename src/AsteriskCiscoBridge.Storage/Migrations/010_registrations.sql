-- The Call-ID of each line's current registration, where it differs from the one Asterisk lists. Asterisk keeps
-- the Call-ID a contact was created with when a phone registers again from the same address and port with a new
-- one (after a power cut, or after a restart whose unregister was refused because the password had just changed);
-- a 79x1 or later-series phone passes over a service-control NOTIFY that does not name its current registration.
-- Learned from res_pjsip's SuccessfulAuth security event (the request's Call-ID): the first request a phone
-- authenticates on a line after it fetched its own file is its REGISTER.
--   endpoint    the line (one contact per line: max_contacts=1)
--   call_id     the Call-ID of that REGISTER
--   supersedes  the Call-ID Asterisk listed then; the learned one is used only while Asterisk still lists this
--   learned_at  when the event came
CREATE TABLE registrations (
    endpoint    TEXT NOT NULL PRIMARY KEY,
    call_id     TEXT NOT NULL,
    supersedes  TEXT NOT NULL,
    learned_at  TEXT NOT NULL
) STRICT;
