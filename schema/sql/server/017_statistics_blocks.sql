-- Server store, version 17: the statistics' cells kept in blocks (sync-server/src/stats_block.h),
-- at eight cube levels (stats_cube.h) instead of one row per cell at six, so that a breakdown over
-- a province or a city reads few rows (docs/statistics.md, docs/performance.md).

-- A block: the cells of one level that share the residence prefix, the hukou prefix and the head
-- attributes (category, sex, age band: the low 12 bits of the packed attributes), encoded in
-- `cells` (sorted by the tail attributes, 10 bytes each: tail, count, key sum). An area prefix is
-- a number as before (-1 for an area that is not a known code; the hukou is 0 at levels without
-- it). A block with no cell is deleted.
CREATE TABLE stats_blocks (
  level      INTEGER NOT NULL,
  residence  INTEGER NOT NULL,
  hukou      INTEGER NOT NULL,
  head       INTEGER NOT NULL,
  cells      BLOB NOT NULL,
  PRIMARY KEY (level, residence, hukou, head)
) WITHOUT ROWID;
-- Moved-out questions select by hukou area.
CREATE INDEX stats_blocks_by_hukou ON stats_blocks(level, hukou);

-- The old cells go; every record is profiled again (as rows stored before version 13 were), which
-- fills the blocks before the next ingest or count. Aggregates only: nothing personal is lost.
DROP TABLE stats_cells;
UPDATE children SET stats_attributes = NULL, stats_changes_on = NULL;
