// Referral outcomes for officials (PRODUCT.md sections 10 and 11, `onecard-server referrals
// stats`): per group (area of the referring site, service, the child's sex, month of creation),
// the number of referrals and the shares completed (programme target >= 50%), declined, declined
// as inappropriate (target <= 5%) and closed unreached. Aggregates only.
// Embedded backend only: the SQL behind ServerStore's ReportStore (server_reports.cc); callers use
// report_store.h. Takes the store's database under its lock; not thread-safe on one connection.
#pragma once

#include <string>

#include "onecard/platform/clock.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/server/report_queries.h"
#include "onecard/server/reports.h"

namespace onecard::server {

// Referral outcomes by the query's dimensions (reports.h has the report's members and rules),
// protected by cell key perturbation (cell_key.h; each referral's key derived from
// `cell_key_secret`, record_key.h) unless query.exact. kInvalidArgument for a prefix that is not
// 1–6 digits, an unknown dimension, a date that is not YYYY-MM-DD or --to before --from.
// "as_of" is when the server received the newest referral event counted; `clock` gives it only
// when the server holds no referral at all (with referrals, none of them counted: their newest).
Result<ReferralStatsReport> ComputeReferralStats(
    schema::Database& db, const ReferralStatsQuery& query, const SecretBytes& cell_key_secret,
    const platform::Clock& clock = platform::SystemClock());

}  // namespace onecard::server
