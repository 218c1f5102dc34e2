-- Terminal store, version 1. The whole file is SQLCipher-encrypted under a random store key that
-- each staff member's passphrase wraps (keys.json beside it).

-- Settings and public material: terminal_id, site, server address, certificates, clock, cursors.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Private keys from the enrolment bundle: TLS key, card-signing key, card-data keys.
CREATE TABLE secrets (
  name  TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE staff (
  name       TEXT PRIMARY KEY,
  role       TEXT NOT NULL CHECK (role IN ('registrar', 'supervisor')),
  created_at TEXT NOT NULL
) WITHOUT ROWID;

-- Each known child's merged state (ChildState JSON) and the columns search reads.
CREATE TABLE children (
  child_id   TEXT PRIMARY KEY,
  state      TEXT NOT NULL,
  name       TEXT,
  id_number  TEXT,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX children_by_name ON children(name);
CREATE INDEX children_by_id_number ON children(id_number);

-- Local changes waiting for the server's acknowledgement (sync.md). seq has no gaps.
CREATE TABLE outbox (
  seq      INTEGER PRIMARY KEY,
  hlc      INTEGER NOT NULL,
  type     TEXT NOT NULL,
  child_id TEXT NOT NULL,
  payload  TEXT NOT NULL
);

-- Append-only, hash-chained audit log: hash = SHA-256(prev_hash || canonical entry).
CREATE TABLE audit (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  child_id  TEXT,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
