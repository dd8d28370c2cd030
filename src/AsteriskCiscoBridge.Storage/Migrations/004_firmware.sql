-- The firmware catalog: the loads the firmware folder holds, as the last import or start-up scan saw
-- them. The folder stays the truth for the bytes (images are served from it byte for byte); these rows
-- say what is there, whether each load is complete, and where it came from.
CREATE TABLE firmware_loads (
    name        TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
    family      TEXT    NULL,
    protocol    TEXT    NOT NULL,
    version     TEXT    NULL,
    descriptor  TEXT    NULL,
    complete    INTEGER NOT NULL CHECK (complete IN (0, 1)),
    problem     TEXT    NULL,
    package     TEXT    NULL,
    imported_at TEXT    NULL,
    verified_at TEXT    NOT NULL
) STRICT;

-- The files each load needs (its descriptor first, then its components), and whether the folder has them.
CREATE TABLE firmware_files (
    load     TEXT    NOT NULL REFERENCES firmware_loads (name) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    present  INTEGER NOT NULL CHECK (present IN (0, 1)),
    readable INTEGER NOT NULL CHECK (readable IN (0, 1)),
    length   INTEGER NOT NULL,
    PRIMARY KEY (load, position)
) STRICT;

-- Per phone: the load an admin pinned ('acb pin'), and where the running load (phones.load) was learned.
ALTER TABLE phones ADD COLUMN pinned_load TEXT NULL;
ALTER TABLE phones ADD COLUMN load_source TEXT NULL;
ALTER TABLE phones ADD COLUMN load_seen_at TEXT NULL;
