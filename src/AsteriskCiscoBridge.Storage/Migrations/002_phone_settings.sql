-- Per-phone settings an admin sets with 'acb bind … --set NAME=VALUE': label, phone_password,
-- messages, cnf:KEY and xml:ELEMENT (AsteriskCiscoBridge.Provisioning.Model.PhoneSettings).
CREATE TABLE phone_settings (
    mac   TEXT NOT NULL REFERENCES phones (mac) ON DELETE CASCADE,
    name  TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (mac, name)
) STRICT;
