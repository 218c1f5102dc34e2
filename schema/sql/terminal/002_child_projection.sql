-- Terminal store, version 2: query tables derived from each child's state, and the referrals and
-- sites the terminal knows.
--
-- children.state (ChildState JSON, per-field last-writer-wins) stays the only source of truth. The
-- columns and child_* tables below are a projection of state.Record(): the program rewrites a
-- child's projection in the same transaction as its state (terminal/src/child_projection.cc), and
-- this migration fills it for the rows that exist. Nothing reads the projection to decide what a
-- child's record is; it is for search, counts and lists. The path '$.fields.<name>.v' is the value
-- of a field in the state's storage form (protocol/include/onecard/protocol/child_state.h).

ALTER TABLE children ADD COLUMN sex TEXT;
ALTER TABLE children ADD COLUMN birth_date TEXT;
ALTER TABLE children ADD COLUMN hukou_area TEXT;
ALTER TABLE children ADD COLUMN residence_area TEXT;
ALTER TABLE children ADD COLUMN category TEXT;
ALTER TABLE children ADD COLUMN card_serial TEXT;
CREATE INDEX children_by_residence_area ON children(residence_area);
CREATE INDEX children_by_hukou_area ON children(hukou_area);
CREATE INDEX children_by_card_serial ON children(card_serial) WHERE card_serial IS NOT NULL;

-- guardians[position] of the record.
CREATE TABLE child_guardians (
  child_id       TEXT NOT NULL REFERENCES children(child_id),
  position       INTEGER NOT NULL,
  name           TEXT,
  relation       TEXT,
  phone          TEXT,
  id_number      TEXT,
  residence_area TEXT,
  PRIMARY KEY (child_id, position)
) WITHOUT ROWID;
CREATE INDEX child_guardians_by_id_number ON child_guardians(id_number) WHERE id_number IS NOT NULL;

CREATE TABLE child_caregivers (
  child_id TEXT PRIMARY KEY REFERENCES children(child_id),
  name     TEXT,
  relation TEXT,
  phone    TEXT
) WITHOUT ROWID;

CREATE TABLE child_schooling (
  child_id    TEXT PRIMARY KEY REFERENCES children(child_id),
  school_name TEXT,
  grade       INTEGER,
  status      TEXT
) WITHOUT ROWID;
CREATE INDEX child_schooling_by_status ON child_schooling(status);

CREATE TABLE child_immunizations (
  child_id TEXT NOT NULL REFERENCES children(child_id),
  vaccine  TEXT NOT NULL,
  dose     INTEGER NOT NULL,
  date     TEXT,
  PRIMARY KEY (child_id, vaccine, dose)
) WITHOUT ROWID;

CREATE TABLE child_consents (
  child_id TEXT PRIMARY KEY REFERENCES children(child_id),
  given_by TEXT,
  relation TEXT,
  date     TEXT
) WITHOUT ROWID;

-- Sites as this terminal knows them: its own (from the enrolment bundle) and the ones referrals
-- name. role is NULL when the terminal was not told.
CREATE TABLE sites (
  site_id    TEXT PRIMARY KEY,
  name       TEXT,
  area       TEXT,
  role       TEXT CHECK (role IS NULL OR role IN ('sending', 'receiving', 'both')),
  is_own     INTEGER NOT NULL DEFAULT 0 CHECK (is_own IN (0, 1)),
  updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- Referrals of children to services (PRODUCT.md section 10): made here or addressed to this site.
CREATE TABLE referrals (
  referral_id TEXT PRIMARY KEY,
  child_id    TEXT NOT NULL,
  service     TEXT NOT NULL CHECK (service IN ('education', 'health', 'protection', 'legal_aid', 'social_assistance')),
  from_site   TEXT NOT NULL,
  to_site     TEXT NOT NULL,
  reason      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'completed', 'closed_unreached')),
  outcome     TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX referrals_by_child ON referrals(child_id);
CREATE INDEX referrals_by_to_site ON referrals(to_site, status);

-- Backfill from the state of every child already stored.
UPDATE children SET
  sex            = json_extract(state, '$.fields.sex.v'),
  birth_date     = json_extract(state, '$.fields.birth_date.v'),
  hukou_area     = json_extract(state, '$.fields.hukou_area.v'),
  residence_area = json_extract(state, '$.fields.residence_area.v'),
  category       = json_extract(state, '$.fields.category.v'),
  card_serial    = json_extract(state, '$.fields.card_serial.v');

INSERT INTO child_guardians(child_id, position, name, relation, phone, id_number, residence_area)
  SELECT c.child_id, g.key, json_extract(g.value, '$.name'), json_extract(g.value, '$.relation'),
         json_extract(g.value, '$.phone'), json_extract(g.value, '$.id_number'),
         json_extract(g.value, '$.residence_area')
  FROM children AS c, json_each(c.state, '$.fields.guardians.v') AS g
  WHERE json_type(c.state, '$.fields.guardians.v') = 'array' AND g.type = 'object';

INSERT INTO child_caregivers(child_id, name, relation, phone)
  SELECT child_id, json_extract(state, '$.fields.caregiver.v.name'),
         json_extract(state, '$.fields.caregiver.v.relation'), json_extract(state, '$.fields.caregiver.v.phone')
  FROM children WHERE json_type(state, '$.fields.caregiver.v') = 'object';

INSERT INTO child_schooling(child_id, school_name, grade, status)
  SELECT child_id, json_extract(state, '$.fields.school.v.name'),
         json_extract(state, '$.fields.school.v.grade'), json_extract(state, '$.fields.school.v.status')
  FROM children WHERE json_type(state, '$.fields.school.v') = 'object';

INSERT OR IGNORE INTO child_immunizations(child_id, vaccine, dose, date)
  SELECT c.child_id, json_extract(d.value, '$.vaccine'), json_extract(d.value, '$.dose'), json_extract(d.value, '$.date')
  FROM children AS c, json_each(c.state, '$.fields.immunizations.v') AS d
  WHERE json_type(c.state, '$.fields.immunizations.v') = 'array' AND d.type = 'object'
    AND json_type(d.value, '$.vaccine') = 'text' AND json_type(d.value, '$.dose') = 'integer';

INSERT INTO child_consents(child_id, given_by, relation, date)
  SELECT child_id, json_extract(state, '$.fields.consent.v.by'),
         json_extract(state, '$.fields.consent.v.relation'), json_extract(state, '$.fields.consent.v.date')
  FROM children WHERE json_type(state, '$.fields.consent.v') = 'object';

INSERT INTO sites(site_id, name, area, role, is_own, updated_at)
  SELECT id.value, (SELECT value FROM meta WHERE key = 'site_name'), (SELECT value FROM meta WHERE key = 'site_area'),
         NULL, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
  FROM meta AS id WHERE id.key = 'site_id';
