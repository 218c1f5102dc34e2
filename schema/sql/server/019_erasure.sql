-- Server store, version 19: erasure of a child's personal data (PRODUCT.md section 13,
-- docs/data-protection.md, protocol/docs/sync.md "Erasure").
--
-- An erased child's id stays here for ever, with why, when and by whom, and nothing personal: the
-- id is never used again, and a late event about it is refused. Each erasure takes a number of the
-- change sequence shared with children.change_seq (the pull cursor): every terminal is told,
-- whatever its area, and removes what it holds of the child.
--
-- What an erasure leaves of the child elsewhere (server_erasure.cc): no children row; its events
-- keep their (terminal_id, seq, hlc, type, child_id) so that replays get their first answer, with
-- the payload emptied ('{}'), which 001's "never updated" admits for this one purpose; referrals
-- keep service, sites, status and dates (outcome statistics) with reason and outcome emptied; the
-- identity record keeps its number with the fields '{"erased":true}' until the identity refresh
-- has taken it out of its part, then it is deleted.
CREATE TABLE erasures (
  child_id     TEXT PRIMARY KEY,
  change_seq   INTEGER NOT NULL UNIQUE,  -- shared with children.change_seq
  reason       TEXT NOT NULL CHECK (reason IN ('consent_withdrawn', 'registered_in_error', 'order', 'aged_out')),
  erased_at_ms INTEGER NOT NULL,         -- Unix milliseconds
  erased_by    TEXT NOT NULL             -- '<staff> @ <terminal_id>', an administrator, or 'retention'
) WITHOUT ROWID;
CREATE INDEX moves_by_child ON moves(child_id);
