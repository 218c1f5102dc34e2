-- Terminal store, version 18: a staff member can be disabled by a supervisor (the desk's staff
-- screen, `onecard-terminal staff disable`). The row stays, so that the audit log's names keep
-- their meaning; the member's key slot in keys.json is removed, so their passphrase no longer
-- opens the store, and opening refuses a disabled name.
ALTER TABLE staff ADD COLUMN disabled_at TEXT;
