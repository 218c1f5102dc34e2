-- Terminals' audit chains as they pushed them (sync.md, "Audit chain"; sync-server
-- terminal_audit_check.h). Every entry is kept as received, a bad one too: what a terminal sent
-- is the evidence. Nothing personal of a child: the entries hold pseudonymous child ids, staff
-- names, actions and field names (docs/data-protection.md).
CREATE TABLE terminal_audit (
  terminal_id    TEXT NOT NULL REFERENCES terminals(terminal_id),
  id             INTEGER NOT NULL,   -- the entry's id at the terminal: 1, 2, 3, ...
  copy           INTEGER NOT NULL,   -- 0: first received; 1, 2, ...: later copies that differ
  at             TEXT NOT NULL,
  actor          TEXT NOT NULL,
  action         TEXT NOT NULL,
  child_id       TEXT NOT NULL,      -- "" when the entry concerns no child
  detail         TEXT NOT NULL,      -- canonical JSON text, as hashed
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL,
  received_at_ms INTEGER NOT NULL,   -- the server's clock, Unix milliseconds
  PRIMARY KEY (terminal_id, id, copy)
) WITHOUT ROWID;

-- Per terminal: where its chain stands at the server, and the first problem found in it (NULL
-- while intact). problem: gap (entries problem_id..problem_to never arrived), altered (entry
-- problem_id does not match its hash), broken_link (entry problem_id does not follow the entry
-- before it as the server holds it), rewritten (entry problem_id resent differing from the copy
-- held).
CREATE TABLE terminal_audit_heads (
  terminal_id   TEXT PRIMARY KEY REFERENCES terminals(terminal_id),
  last_id       INTEGER NOT NULL,
  last_hash     TEXT NOT NULL,
  problem       TEXT,
  problem_id    INTEGER,
  problem_to    INTEGER,
  problem_at_ms INTEGER
) WITHOUT ROWID;
