-- Terminal store, version 15 (sync.md, "What a terminal checks of a pull").

-- Pulled items that failed the terminal's checks and were not applied, for a supervisor to see and
-- report to the server's operator. Only what names the item and the reason is kept, not the item:
-- the server still holds it, and a corrected version comes with a later pull. (The store is
-- encrypted, so the message may quote the refused value.)
CREATE TABLE pull_set_aside (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,     -- child | referral | site | revoked_card | revoked_terminal |
                                -- identity_pair | person
  item_id    TEXT NOT NULL,     -- as sent by the server, control characters escaped
  change_seq INTEGER NOT NULL,  -- the next_cursor of the page that carried it
  message    TEXT NOT NULL,     -- why, in the language of the sync that set it aside
  set_aside_at TEXT NOT NULL
);
