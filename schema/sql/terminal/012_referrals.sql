-- Terminal store, version 12: referrals merge like the server's (protocol referral.h). Each row
-- keeps the stamp of its winning status change (the create event's while open) and the HLC of its
-- creation, so a pulled version replaces the local one only when its (rank, stamp) is greater.
-- Referral ids are "<terminal_id>-R<n>" with n from meta next_referral_number.
ALTER TABLE referrals ADD COLUMN created_hlc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN status_hlc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN status_terminal TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN status_seq INTEGER NOT NULL DEFAULT 0;
INSERT OR IGNORE INTO meta(key, value) VALUES ('next_referral_number', '1');
