-- Where each phone's model is known from (AsteriskCiscoBridge.Provisioning.Inventory.ModelSource):
-- 'bind' (acb bind --model), 'set_var', 'profile', 'user-agent', 'files' (the family only: the model
-- column then holds '7940/7960' or '79x1'), NULL for a row written before this column (an acb bind
-- that required --model: read as 'bind'). A phone whose model is unknown has model ''.
ALTER TABLE phones ADD COLUMN model_source TEXT NULL;

-- The endpoints of the last complete snapshot of Asterisk the service applied, as the inventory reads
-- them (JSON): what the CLI shows and renders with when Asterisk is not asked directly. One row.
CREATE TABLE asterisk_snapshot (
    id        INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    taken_at  TEXT    NOT NULL,
    endpoints TEXT    NOT NULL
) STRICT;
