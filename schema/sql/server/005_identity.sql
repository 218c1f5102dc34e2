-- Server store, version 5: identity resolution (protocol/docs/identity.md, docs/identity-server.md).
-- Records of one child registered separately are grouped into a person; no child row or event is
-- ever changed or deleted by a merge, so unmerging only changes the grouping.

-- Append-only log of identity decisions: automatic links as they appear and disappear, and the
-- supervisors' merge / separate / unmerge. Pairs are stored with a < b. Never updated or deleted.
CREATE TABLE identity_decisions (
  decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind        TEXT NOT NULL CHECK (kind IN ('auto_link', 'auto_unlink', 'merge', 'separate', 'unmerge')),
  a           TEXT NOT NULL,
  b           TEXT NOT NULL,
  score       REAL,                  -- automatic links: the match score (0 for the same ID / card)
  reasons     INTEGER NOT NULL DEFAULT 0,  -- IdentityReason bits
  decided_by  TEXT NOT NULL,         -- 'resolver' or the supervisor's name
  decided_at  TEXT NOT NULL,         -- UTC ISO 8601
  CHECK (a < b)
);
CREATE INDEX identity_decisions_by_pair ON identity_decisions(a, b);
CREATE TRIGGER identity_decisions_no_update BEFORE UPDATE ON identity_decisions
BEGIN SELECT RAISE(ABORT, 'identity_decisions is append-only'); END;
CREATE TRIGGER identity_decisions_no_delete BEFORE DELETE ON identity_decisions
BEGIN SELECT RAISE(ABORT, 'identity_decisions is append-only'); END;

-- The grouping derived from the children and the decisions by the last refresh (rewritten by each
-- refresh). Only records of persons with two or more records are listed; a record not listed is a
-- person alone. `current` marks the person's most recent record: counts read only that one.
CREATE TABLE identity_persons (
  child_id  TEXT PRIMARY KEY,
  person_id TEXT NOT NULL,           -- the smallest child_id of the person
  current   INTEGER NOT NULL CHECK (current IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX identity_persons_by_person ON identity_persons(person_id);

-- The links in force after the last refresh (automatic and merged), to log what changes.
CREATE TABLE identity_links (
  a       TEXT NOT NULL,
  b       TEXT NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('auto', 'merge')),
  score   REAL NOT NULL,
  reasons INTEGER NOT NULL,
  PRIMARY KEY (a, b)
) WITHOUT ROWID;

-- Doubtful pairs waiting for a supervisor, from the last refresh.
CREATE TABLE identity_review (
  a       TEXT NOT NULL,
  b       TEXT NOT NULL,
  score   REAL NOT NULL,
  reasons INTEGER NOT NULL,
  PRIMARY KEY (a, b)
) WITHOUT ROWID;

-- Each child's identity fields (the resolver's input, identity_record.h) as of its change_seq, so
-- that a refresh reads again only the merged states of children changed since. Derived: a full
-- refresh rebuilds it. fields: JSON {name, sex, birth_date, id_number, card_serial, hukou_area,
-- residence_area, guardians: [{relation, name, id_number}]}; recency: the greatest HLC of any of
-- the child's fields.
CREATE TABLE identity_records (
  child_id   TEXT PRIMARY KEY,
  change_seq INTEGER NOT NULL,
  recency    INTEGER NOT NULL,
  fields     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX identity_records_by_change ON identity_records(change_seq);

-- The greatest children.change_seq the grouping was computed from (0: never).
CREATE TABLE identity_refresh (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  through_seq  INTEGER NOT NULL,
  refreshed_at TEXT NOT NULL
);
