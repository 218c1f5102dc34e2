-- Terminal store, version 3: finding children by name in Han characters or in pinyin.
--
-- children.name_pinyin is the normalised pinyin of the name ("wang xiao ming"); child_name_keys
-- holds every key under which the name is found (protocol/include/onecard/protocol/pinyin.h:
-- suffixes of the Han form and of the pinyin letters), so that a search is an index range scan
-- (key >= query AND key < query || x'FF') rather than a scan of all children.
--
-- Both are part of the projection of the child's state (terminal/src/child_search.cc). SQL cannot
-- compute pinyin, so the program fills them for existing rows the first time it opens the store
-- (meta name_keys_version below the program's version; also after a pinyin table change).
ALTER TABLE children ADD COLUMN name_pinyin TEXT;

CREATE TABLE child_name_keys (
  key      TEXT NOT NULL,
  child_id TEXT NOT NULL REFERENCES children(child_id),
  PRIMARY KEY (key, child_id)
) WITHOUT ROWID;
CREATE INDEX child_name_keys_by_child ON child_name_keys(child_id);

INSERT INTO meta(key, value) VALUES ('name_keys_version', '0')
  ON CONFLICT(key) DO UPDATE SET value = '0';
