-- Server store, version 14: referral outcomes for officials (issue 13 item 4; referral.h,
-- docs/api.md "Referral outcomes").

-- The coded reason of a decline (PRODUCT.md section 4), '' in every other status. Declines stored
-- before the codes existed are 'other', as an older terminal's decline without a code is at ingest.
ALTER TABLE referrals ADD COLUMN decline_reason TEXT NOT NULL DEFAULT ''
  CHECK (decline_reason IN ('', 'inappropriate', 'no_capacity', 'family_refused', 'other'));
UPDATE referrals SET decline_reason = 'other' WHERE status = 'declined';

-- When the server received the event that made the row what it is (the create, or the winning
-- status change): "2026-06-01T08:00:00Z". The "as of" of referral statistics is the newest of
-- the rows they count. Filled from the stored events for rows from before this version ('' when
-- that event is not there).
ALTER TABLE referrals ADD COLUMN changed_at TEXT NOT NULL DEFAULT '';
UPDATE referrals SET changed_at = coalesce(
  (SELECT e.received_at FROM events AS e
   WHERE e.terminal_id = referrals.status_terminal AND e.seq = referrals.status_seq), '');
