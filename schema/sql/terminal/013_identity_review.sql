-- Terminal store, version 13: the server's identity review and grouping as pulled (sync.md,
-- "Identity review"). Both are copies of the server's: replaced by each pulled item, never edited
-- here. A supervisor's decision is an "identity.decision" outbox event; its effect comes back with
-- a later pull.

-- Doubtful pairs concerning this site, waiting for a supervisor. record_a / record_b: JSON
-- {child_id, name, sex, birth_date, hukou_area, residence_area} of each record, as the server
-- sent them (the other record may belong to another site and be unknown here otherwise).
CREATE TABLE identity_review (
  a        TEXT NOT NULL,
  b        TEXT NOT NULL,
  score    REAL NOT NULL,
  reasons  INTEGER NOT NULL,
  record_a TEXT NOT NULL,
  record_b TEXT NOT NULL,
  PRIMARY KEY (a, b)
) WITHOUT ROWID;

-- Persons (records of one child) with a record concerning this site. members: JSON array of
-- child_ids, sorted.
CREATE TABLE identity_persons (
  person_id TEXT PRIMARY KEY,
  members   TEXT NOT NULL
) WITHOUT ROWID;
