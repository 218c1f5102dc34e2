-- Server store, version 2: revoked card serials and revoked terminals, sent to every terminal.
-- Each revocation takes a number from the same change sequence as children.change_seq (the pull
-- cursor), so a pull delivers revocations in order with children and resumes from one cursor.
CREATE TABLE revocations (
  change_seq    INTEGER PRIMARY KEY,   -- shared with children.change_seq: never equal to one of them
  kind          TEXT NOT NULL CHECK (kind IN ('card', 'terminal')),
  subject       TEXT NOT NULL,         -- card serial (16 upper-case hex) or terminal_id
  child_id      TEXT NOT NULL DEFAULT '',
  reason        TEXT NOT NULL DEFAULT '',
  revoked_at_ms INTEGER NOT NULL,      -- Unix milliseconds
  revoked_by    TEXT NOT NULL DEFAULT '',
  UNIQUE (kind, subject)
);

-- Terminals revoked before this version.
INSERT INTO revocations(change_seq, kind, subject, revoked_at_ms)
SELECT (SELECT coalesce(max(change_seq), 0) FROM children) + row_number() OVER (ORDER BY revoked_at, terminal_id),
       'terminal', terminal_id, unixepoch(revoked_at) * 1000
FROM terminals WHERE revoked_at IS NOT NULL;
