-- The server's own audit chain (schema audit_chain.h; docs/data-protection.md, "Audit"): who, at
-- the server, read personal data or changed who may read it — review and history, exact counts,
-- erasure and retention, accounts, sites and terminals — one entry per command that succeeded.
-- subject: what the command was about (a child id, an account, an area, a terminal), or "".
-- detail: the command's flags as JSON (never a secret: secrets never go on command lines).
-- The head is meta "server_audit_head".
CREATE TABLE server_audit (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  subject   TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE TRIGGER server_audit_no_update BEFORE UPDATE ON server_audit
  BEGIN SELECT RAISE(ABORT, 'server_audit is append-only'); END;
CREATE TRIGGER server_audit_no_delete BEFORE DELETE ON server_audit
  BEGIN SELECT RAISE(ABORT, 'server_audit is append-only'); END;
