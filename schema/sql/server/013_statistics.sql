-- Server store, version 13: the statistics model officials' counts are answered from
-- (docs/statistics.md). Counts never read child records or their JSON: they sum cells.

-- Each record as the statistics count it (sync-server/src/stats_profile.h): its attributes packed
-- into one integer on the statistics' date (meta "stats_date"), NULL until profiled (rows stored
-- before this version, profiled before the next counts); the first later day on which time alone
-- changes them (the daily roll re-profiles the rows whose day has come); and whether the record is
-- counted: 0 for a record that is not its person's current one (identity_persons.current = 0).
ALTER TABLE children ADD COLUMN stats_attributes INTEGER;
ALTER TABLE children ADD COLUMN stats_changes_on TEXT;
ALTER TABLE children ADD COLUMN stats_counted INTEGER NOT NULL DEFAULT 1;
UPDATE children SET stats_counted = 0
  WHERE child_id IN (SELECT child_id FROM identity_persons WHERE current = 0);
CREATE INDEX children_unprofiled ON children(child_id) WHERE stats_attributes IS NULL;
CREATE INDEX children_by_stats_change ON children(stats_changes_on)
  WHERE stats_changes_on IS NOT NULL;
CREATE INDEX children_not_counted ON children(child_id) WHERE stats_counted = 0;

-- The cells: for each cube level (10 x residence digits + hukou digits: 66, 60, 44, 40, 22, 20),
-- the counted records per (residence area prefix, hukou area prefix, packed attributes): their
-- number and their key sum modulo 2^32 (cell_key.h). An area prefix is a number (440306 at 6
-- digits is 4403 at 4); -1 for an area that is not a known code; the hukou is 0 at levels without
-- it. A cell whose count falls to 0 is deleted.
CREATE TABLE stats_cells (
  level      INTEGER NOT NULL,
  residence  INTEGER NOT NULL,
  hukou      INTEGER NOT NULL,
  attributes INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  key_sum    INTEGER NOT NULL,
  PRIMARY KEY (level, residence, hukou, attributes)
) WITHOUT ROWID;
-- Moved-out questions select by hukou area.
CREATE INDEX stats_cells_by_hukou ON stats_cells(level, hukou);
