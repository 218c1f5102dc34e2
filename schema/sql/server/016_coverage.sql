-- Server store, version 16: what an administrator estimates each area should have, for coverage
-- = registered ÷ estimate (`coverage set|list|report`, GET /api/v1/coverage; PRODUCT.md section
-- 11). One current estimate per area and category; setting it again replaces it.

CREATE TABLE coverage_estimates (
  area     TEXT NOT NULL,  -- an area-code prefix of 2, 4 or 6 digits (province, prefecture, county)
  category TEXT NOT NULL,  -- migrant | left_behind | all
  estimate INTEGER NOT NULL CHECK (estimate > 0),  -- children the area should have
  source   TEXT NOT NULL,  -- where the estimate comes from ("第七次全国人口普查")
  year     INTEGER NOT NULL,  -- the year it is of
  set_by   TEXT NOT NULL,  -- the operating-system user who set it
  set_at   TEXT NOT NULL,  -- "2026-06-01T08:00:00Z"
  PRIMARY KEY (area, category)
) WITHOUT ROWID;
