-- Server store, version 12: disclosure control of the officials' counts
-- (docs/disclosure-control.md).

-- Each child's record key for cell key perturbation: the first 4 bytes of
-- HMAC-SHA256(secret "cell_key_secret", child_id), big-endian, 0 to 2^32 - 1. A cell's key is the
-- sum of its records' keys modulo 2^32 (counts: sum(record_key)). Fixed for the child's life.
-- NULL until the server keys the row (at ingest; rows stored before this version when the store
-- is opened), which the partial index finds without reading the table.
ALTER TABLE children ADD COLUMN record_key INTEGER;
CREATE INDEX children_unkeyed ON children(child_id) WHERE record_key IS NULL;

-- Every exact query (counts --exact, referrals stats --exact): who asked (the operating-system
-- user running the command at the server), when, and what. Append-only: rows are never changed
-- or deleted.
CREATE TABLE exact_query_audit (
  audit_id     INTEGER PRIMARY KEY,  -- ascending
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,        -- "2026-06-01T08:00:00Z"
  query        TEXT NOT NULL         -- the command as given: "counts --area 4403 --by sex --exact"
);
CREATE TRIGGER exact_query_audit_no_update BEFORE UPDATE ON exact_query_audit
BEGIN
  SELECT RAISE(ABORT, 'exact_query_audit is append-only');
END;
CREATE TRIGGER exact_query_audit_no_delete BEFORE DELETE ON exact_query_audit
BEGIN
  SELECT RAISE(ABORT, 'exact_query_audit is append-only');
END;
