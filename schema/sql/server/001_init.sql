-- Server store, version 1. Personal data lives only inside this SQLCipher file.

-- Settings and public material (certificates, the server's address). Never secrets.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Private keys: the CA key, the server's TLS key, card-data keys ("card_data_key:<version>").
CREATE TABLE secrets (
  name  TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE sites (
  site_id    TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  area       TEXT NOT NULL,          -- 6-digit GB/T 2260 code
  role       TEXT NOT NULL CHECK (role IN ('sending', 'receiving', 'both')),
  created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE terminals (
  terminal_id    TEXT PRIMARY KEY,
  site_id        TEXT NOT NULL REFERENCES sites(site_id),
  enrolled_at    TEXT NOT NULL,
  revoked_at     TEXT,               -- NULL while the terminal is trusted
  contiguous_seq INTEGER NOT NULL DEFAULT 0  -- highest seq stored with no gap from 1
) WITHOUT ROWID;

-- Every event as received, exactly once per (terminal_id, seq). Never updated or deleted.
CREATE TABLE events (
  terminal_id TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  hlc         INTEGER NOT NULL,
  type        TEXT NOT NULL,
  child_id    TEXT NOT NULL,
  payload     TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (terminal_id, seq)
) WITHOUT ROWID;
CREATE INDEX events_by_child ON events(child_id);

-- Each child's merged state (ChildState JSON) and the columns counts and pull scopes read.
-- change_seq is a server-wide counter bumped on every change: the pull cursor.
CREATE TABLE children (
  child_id       TEXT PRIMARY KEY,
  state          TEXT NOT NULL,
  residence_area TEXT,
  hukou_area     TEXT,
  category       TEXT,
  sex            TEXT,
  birth_date     TEXT,
  change_seq     INTEGER NOT NULL
);
CREATE UNIQUE INDEX children_by_change ON children(change_seq);
CREATE INDEX children_by_residence ON children(residence_area);
CREATE INDEX children_by_hukou ON children(hukou_area);
