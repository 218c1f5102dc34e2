-- Server store, version 15: the moves between areas that flows count (`counts --flows`,
-- GET /api/v1/flows; docs/flows.md). One row per move: a change of a record's residence_area,
-- written at ingest when the merged state's residence changes, so that a flows query reads this
-- table by its indexes and never the events.

CREATE TABLE moves (
  terminal_id TEXT NOT NULL,     -- the event that moved the record: its terminal and sequence
  seq         INTEGER NOT NULL,
  child_id    TEXT NOT NULL,     -- the record moved (its person: identity_persons)
  from_area   TEXT NOT NULL,     -- the residence before, as stored
  to_area     TEXT NOT NULL,     -- the residence after
  moved_at    TEXT NOT NULL,     -- the event's time (its hybrid clock's wall time), "2026-06-01T08:00:00Z"
  moved_on    TEXT NOT NULL,     -- that time's date in China (UTC+8), "2026-06-01": what --from/--to select
  -- The move's key for cell key perturbation: the first 4 bytes of
  -- HMAC-SHA256(secret "cell_key_secret", "move/" || terminal_id || ":" || seq), big-endian.
  -- NULL until the server keys the row (at ingest; rows back-filled below when the store is opened).
  move_key    INTEGER,
  PRIMARY KEY (terminal_id, seq)
) WITHOUT ROWID;
CREATE INDEX moves_by_from ON moves(from_area, moved_on);
CREATE INDEX moves_by_to ON moves(to_area, moved_on);
CREATE INDEX moves_by_date ON moves(moved_on);
CREATE INDEX moves_unkeyed ON moves(terminal_id, seq) WHERE move_key IS NULL;

-- The moves stored before this version, from the events (every upsert is kept, in its legacy JSON
-- form): each upsert that sets a residence different from the one the record's previous upsert
-- set, in (hlc, terminal, seq) order, as residence_history.cc reads them. Payloads that are not
-- JSON are left out (json_extract would fail the statement).
INSERT INTO moves(terminal_id, seq, child_id, from_area, to_area, moved_at, moved_on)
SELECT terminal_id, seq, child_id, previous, area,
       strftime('%Y-%m-%dT%H:%M:%SZ', (hlc >> 16) / 1000, 'unixepoch'),
       date((hlc >> 16) / 1000 + 8 * 3600, 'unixepoch')
FROM (SELECT terminal_id, seq, child_id, hlc, area,
             lag(area) OVER (PARTITION BY child_id ORDER BY hlc, terminal_id, seq) AS previous
      FROM (SELECT terminal_id, seq, child_id, hlc,
                   json_extract(payload, '$.fields.residence_area') AS area
            FROM events
            WHERE type = 'child.upsert' AND json_valid(payload) AND
                  json_type(payload, '$.fields.residence_area') = 'text'))
WHERE previous IS NOT NULL AND previous <> area;
