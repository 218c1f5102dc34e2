-- Server store, version 6: the identity review and grouping as published to terminals (sync.md,
-- "Identity review"; docs/identity-server.md, "Review at terminals"). Each identity refresh
-- compares its result with these tables and gives every pair or person that changed a new number
-- of the change sequence shared with children, referrals, sites and revocations, so a terminal's
-- pull cursor delivers each change once. Rows are never deleted: a pair that left the queue stays
-- with removed = 1, a person that no longer exists with members '[]', so that the change reaches
-- the terminals that held it.

CREATE TABLE identity_review_sync (
  a          TEXT NOT NULL,
  b          TEXT NOT NULL,
  score      REAL NOT NULL,
  reasons    INTEGER NOT NULL,
  records    TEXT NOT NULL,          -- JSON [summary of a, summary of b]; '[]' once removed
  removed    INTEGER NOT NULL CHECK (removed IN (0, 1)),
  change_seq INTEGER NOT NULL,
  PRIMARY KEY (a, b),
  CHECK (a < b)
) WITHOUT ROWID;
CREATE UNIQUE INDEX identity_review_sync_by_change ON identity_review_sync(change_seq);

CREATE TABLE identity_person_sync (
  person_id  TEXT PRIMARY KEY,
  members    TEXT NOT NULL,          -- JSON array of child_ids, sorted; '[]' once dissolved
  change_seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX identity_person_sync_by_change ON identity_person_sync(change_seq);

-- Every record that was ever a member of a published person: a person's changes (including its
-- dissolution) go to the sites of all the records it has held.
CREATE TABLE identity_person_sync_scope (
  person_id TEXT NOT NULL,
  child_id  TEXT NOT NULL,
  PRIMARY KEY (person_id, child_id)
) WITHOUT ROWID;

-- How long the last refresh took and how many records it resolved: a pull does not start a refresh
-- expected to take long (server_identity_sync.cc).
ALTER TABLE identity_refresh ADD COLUMN seconds REAL NOT NULL DEFAULT 0;
ALTER TABLE identity_refresh ADD COLUMN records INTEGER NOT NULL DEFAULT 0;
