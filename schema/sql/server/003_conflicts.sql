-- Server store, version 3: children with open conflicts (protocol/docs/merge.md).
-- conflicted is 1 while the child's state holds two live values of a field that differ (or two
-- dates of one dose); ingest sets it with the state, so `onecard-server conflicts` reads only
-- those rows. States stored before this version hold no conflicts (they had one value per field).
ALTER TABLE children ADD COLUMN conflicted INTEGER NOT NULL DEFAULT 0 CHECK (conflicted IN (0, 1));
CREATE INDEX children_conflicted ON children(child_id) WHERE conflicted = 1;
