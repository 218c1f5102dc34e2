-- Server store, version 8: events refused at ingest (sync.md, "Validation of events").
-- Nothing of a refused event's payload is kept: only which event it was, and why, so that a
-- replay of the event (its acknowledgement was lost) gets the same answer, and so that it counts
-- as settled for the terminal's gap-free high-water mark (terminals.contiguous_seq).
CREATE TABLE refused_events (
  terminal_id TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  type        TEXT NOT NULL,
  code        TEXT NOT NULL,    -- ErrorCodeName()
  message     TEXT NOT NULL,    -- the sentence sent to the terminal
  refused_at  TEXT NOT NULL,
  PRIMARY KEY (terminal_id, seq)
) WITHOUT ROWID;
