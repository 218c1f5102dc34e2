-- Server store, version 7: indexes for pull scopes (sync.md, "PullRequest / PullPage").
-- A pull reads the children of one area scope changed after a cursor. With an index on the area
-- alone it had to follow every change after the cursor (children_by_change) and read each row to
-- test its areas, so a terminal of a site with few children read the whole table on its first
-- pull. With (area, change_seq) the scope's changes after the cursor are one index range.
-- Counts, which select by area prefix, use the same indexes.
DROP INDEX children_by_residence;
DROP INDEX children_by_hukou;
CREATE INDEX children_by_residence_change ON children(residence_area, change_seq);
CREATE INDEX children_by_hukou_change ON children(hukou_area, change_seq);
