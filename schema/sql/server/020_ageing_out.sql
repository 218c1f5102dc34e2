-- Ageing out (protocol ageing_out.h; docs/data-protection.md, "Ageing out"): serve's daily job
-- finds the records whose retention after the 18th birthday has ended by their birth date
-- ("YYYY-MM-DD", so that text order is date order). The retention period is meta
-- "retention_years" (absent: kDefaultRetentionYears).
CREATE INDEX children_by_birth_date ON children(birth_date);
