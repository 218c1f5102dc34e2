-- Server store, version 4: referrals (PRODUCT.md section 10) and the site directory in pull pages.
--
-- Each referral row is the merged state of one referral (protocol referral.h: the status of
-- greatest (rank, stamp) wins). change_seq takes a number from the change sequence shared with
-- children.change_seq and revocations.change_seq (the pull cursor), renumbered on every change.
CREATE TABLE referrals (
  referral_id     TEXT PRIMARY KEY,
  child_id        TEXT NOT NULL,
  service         TEXT NOT NULL CHECK (service IN ('education', 'health', 'protection', 'legal_aid', 'social_assistance')),
  from_site       TEXT NOT NULL REFERENCES sites(site_id),
  to_site         TEXT NOT NULL REFERENCES sites(site_id),
  reason          TEXT NOT NULL,
  created_hlc     INTEGER NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'completed', 'closed_unreached')),
  outcome         TEXT NOT NULL DEFAULT '',
  status_hlc      INTEGER NOT NULL,   -- stamp of the winning status change (the create event while open)
  status_terminal TEXT NOT NULL,
  status_seq      INTEGER NOT NULL,
  change_seq      INTEGER NOT NULL    -- shared with children.change_seq: never equal to another row's
);
CREATE UNIQUE INDEX referrals_by_change ON referrals(change_seq);
CREATE INDEX referrals_by_child ON referrals(child_id);
CREATE INDEX referrals_by_from_site ON referrals(from_site, service);

-- Sites are sent to every terminal; each addition takes a number of the same sequence. Existing
-- sites are numbered after every change so far.
ALTER TABLE sites ADD COLUMN change_seq INTEGER;
UPDATE sites SET change_seq =
  max((SELECT coalesce(max(change_seq), 0) FROM children), (SELECT coalesce(max(change_seq), 0) FROM revocations)) +
  (SELECT count(*) FROM sites AS earlier WHERE earlier.site_id <= sites.site_id);
CREATE UNIQUE INDEX sites_by_change ON sites(change_seq);
