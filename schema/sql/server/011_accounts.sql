-- Server store, version 11: officials' and administrators' accounts for the HTTPS API and
-- dashboard (docs/api.md), their sign-in sessions, and the append-only audit of API requests.

-- One account. Passwords are Argon2id strings (libsodium crypto_pwhash_str: algorithm, parameters,
-- salt and hash in one text), never the password. totp_secret is the raw RFC 6238 key (the store
-- is encrypted at rest); NULL when the account signs in without a second factor.
CREATE TABLE api_users (
  user_name       TEXT PRIMARY KEY,
  role            TEXT NOT NULL CHECK (role IN ('official', 'admin')),
  area_prefix     TEXT NOT NULL,          -- the jurisdiction: area codes starting with it
  password_hash   TEXT NOT NULL,
  totp_secret     BLOB,
  totp_last_step  INTEGER NOT NULL DEFAULT 0,  -- the last accepted TOTP time step (no replay)
  disabled        INTEGER NOT NULL DEFAULT 0,
  failed_signins  INTEGER NOT NULL DEFAULT 0,  -- consecutive failures since the last success
  last_failure_ms INTEGER NOT NULL DEFAULT 0,
  locked_until_ms INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL
) WITHOUT ROWID;

-- Signed-in sessions. Only the SHA-256 of the cookie's token is kept, so a copy of the store
-- does not let anyone act as a signed-in official.
CREATE TABLE api_sessions (
  token_hash   BLOB PRIMARY KEY,
  user_name    TEXT NOT NULL REFERENCES api_users(user_name) ON DELETE CASCADE,
  created_ms   INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX api_sessions_by_user ON api_sessions(user_name);

-- Every API request: who (the signed-in account, '' when none), what (method, path and query;
-- never a body, a cookie or a password), when, the answer's status and how many cells it gave.
CREATE TABLE api_audit (
  audit_id  INTEGER PRIMARY KEY AUTOINCREMENT,
  at        TEXT NOT NULL,
  user_name TEXT NOT NULL,
  method    TEXT NOT NULL,
  target    TEXT NOT NULL,
  status    INTEGER NOT NULL,
  cells     INTEGER NOT NULL
);
CREATE TRIGGER api_audit_no_update BEFORE UPDATE ON api_audit
  BEGIN SELECT RAISE(ABORT, 'api_audit is append-only'); END;
CREATE TRIGGER api_audit_no_delete BEFORE DELETE ON api_audit
  BEGIN SELECT RAISE(ABORT, 'api_audit is append-only'); END;
