-- Terminal store, version 16: the coded reason of a decline (protocol referral.h), '' in every
-- other status. Declines stored before the codes existed are 'other', as at the server.
ALTER TABLE referrals ADD COLUMN decline_reason TEXT NOT NULL DEFAULT '';
UPDATE referrals SET decline_reason = 'other' WHERE status = 'declined';
