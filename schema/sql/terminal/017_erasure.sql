-- Terminal store, version 17: erasure of a child's personal data (PRODUCT.md section 13,
-- docs/data-protection.md, protocol/docs/sync.md "Erasure").
--
-- The children erased here (a supervisor's `erase`) or at the server (a pull page's `erasures`):
-- the id, why, when and by whom, nothing personal. Nothing of the child is kept besides, no pulled
-- snapshot of it is applied again, and its card is refused.
CREATE TABLE erasures (
  child_id     TEXT PRIMARY KEY,
  reason       TEXT NOT NULL,
  erased_at_ms INTEGER NOT NULL,  -- Unix milliseconds
  erased_by    TEXT NOT NULL      -- the supervisor here, or 'server'
) WITHOUT ROWID;
