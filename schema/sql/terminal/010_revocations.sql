-- Terminal store, version 10: the revocation list from sync (and this terminal's own revocations),
-- consulted whenever a card is read (card.md, "Lifecycle").

-- Card serials that must no longer be accepted: lost cards, and cards replaced by a new one.
CREATE TABLE revoked_cards (
  serial        TEXT PRIMARY KEY,      -- 16 upper-case hex digits
  child_id      TEXT NOT NULL,         -- '' when the revoking terminal did not know the child
  reason        TEXT NOT NULL,
  revoked_at_ms INTEGER NOT NULL,      -- Unix milliseconds
  revoked_by    TEXT NOT NULL          -- terminal_id
) WITHOUT ROWID;

-- Terminals whose credentials were revoked: card records they signed after revoked_at_ms are refused.
CREATE TABLE revoked_terminals (
  terminal_id   TEXT PRIMARY KEY,
  revoked_at_ms INTEGER NOT NULL       -- Unix milliseconds, server time
) WITHOUT ROWID;
