-- Server store, version 18: the incremental identity index (sync-server/src/identity_index.h,
-- docs/identity-server.md "Incremental resolution"). A refresh no longer resolves every record
-- again: it keeps each record's blocking keys and the scored candidate pairs, and redoes only what
-- the records changed since touch. Derived data: `review refresh` rebuilds all of it.

-- identity_records gains a number per record (`rec`, used by the index's tables instead of the
-- child_id text), `dirty` (its fields changed since it was indexed) and `keys` (the keys it is
-- indexed under, IndexedKeys::Encode, so that they can be taken out again). Existing rows are
-- dirty: the first refresh indexes them.
CREATE TABLE identity_records_v18 (
  rec        INTEGER PRIMARY KEY,
  child_id   TEXT NOT NULL UNIQUE,
  change_seq INTEGER NOT NULL,
  recency    INTEGER NOT NULL,
  fields     TEXT NOT NULL,
  dirty      INTEGER NOT NULL DEFAULT 1 CHECK (dirty IN (0, 1)),
  keys       BLOB
);
INSERT INTO identity_records_v18(child_id, change_seq, recency, fields)
  SELECT child_id, change_seq, recency, fields FROM identity_records ORDER BY child_id;
DROP TABLE identity_records;
ALTER TABLE identity_records_v18 RENAME TO identity_records;
CREATE INDEX identity_records_by_change ON identity_records(change_seq);
CREATE INDEX identity_records_dirty ON identity_records(rec) WHERE dirty = 1;

-- Each record under each of its blocking and exact keys (64-bit hashes, protocol identity_steps.h).
CREATE TABLE identity_keys (
  key INTEGER NOT NULL,
  rec INTEGER NOT NULL,
  PRIMARY KEY (key, rec)
) WITHOUT ROWID;

-- The candidate pairs that scored at least the review threshold (a < b by rec), with what the
-- resolver made of them (identity_index.h, PairKind): 0 review only, 1 linked by score, 2 and 3
-- the one-character rule's pairs (2 held back by the family, 3 linked).
CREATE TABLE identity_pairs (
  a       INTEGER NOT NULL,
  b       INTEGER NOT NULL,
  score   REAL NOT NULL,
  reasons INTEGER NOT NULL,
  kind    INTEGER NOT NULL CHECK (kind IN (0, 1, 2, 3)),
  PRIMARY KEY (a, b),
  CHECK (a < b)
) WITHOUT ROWID;
CREATE INDEX identity_pairs_by_b ON identity_pairs(b);

-- The one-character rule's pairs (kinds 2 and 3) under the family lookup keys of both records
-- (IdentityFamilyLookupKeys): a record that joins or leaves a family finds here the pairs whose
-- decision may change. Rows of pairs since dropped are removed when found.
CREATE TABLE identity_one_character (
  key INTEGER NOT NULL,
  a   INTEGER NOT NULL,
  b   INTEGER NOT NULL,
  PRIMARY KEY (key, a, b)
) WITHOUT ROWID;

-- Regrouping a record's part reads the rows of the derived and published tables that name it at
-- either end.
CREATE INDEX identity_review_by_b ON identity_review(b);
CREATE INDEX identity_review_sync_by_b ON identity_review_sync(b);
-- The supervisors' decisions, among the resolver's many logged links.
CREATE INDEX identity_decisions_supervised ON identity_decisions(decision_id)
  WHERE kind IN ('merge', 'separate', 'unmerge');

-- How far the index has read: the children copied into identity_records (change_seq), and the
-- supervisors' decisions applied (decision_id).
ALTER TABLE identity_refresh ADD COLUMN copied_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE identity_refresh ADD COLUMN decisions_through INTEGER NOT NULL DEFAULT 0;
UPDATE identity_refresh SET copied_seq = (SELECT coalesce(max(change_seq), 0) FROM identity_records);
-- The grouping is out of date until the index is built.
UPDATE identity_refresh SET through_seq = -1;
