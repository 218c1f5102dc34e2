-- Terminal store, version 14 (sync protocol version 3; sync.md, "Validation of events").

-- Events the server refused, moved here from the outbox with the server's reason, for a supervisor
-- to see and act on (fix the record and edit again, or read the child's card so that the change is
-- presented with it). Never sent again.
CREATE TABLE refused_events (
  seq        INTEGER PRIMARY KEY,
  hlc        INTEGER NOT NULL,
  type       TEXT NOT NULL,
  child_id   TEXT NOT NULL,
  payload    TEXT NOT NULL,
  code       TEXT NOT NULL,    -- ErrorCodeName()
  message    TEXT NOT NULL,    -- the server's sentence
  refused_at TEXT NOT NULL
);

-- The last card of each child read here: its serial and one slot's sealed record as read. A change
-- of a child outside this site's scope is pushed with it (Event.card_proof), as proof that the
-- child's card was at this desk.
CREATE TABLE card_proofs (
  child_id      TEXT PRIMARY KEY,
  serial        BLOB NOT NULL,
  sealed_record BLOB NOT NULL,
  read_at       TEXT NOT NULL
) WITHOUT ROWID;
