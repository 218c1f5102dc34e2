// Referral outcomes for officials (PRODUCT.md sections 10 and 11, `onecard-server referrals
// stats`): per area and service, the number of referrals and the shares completed (programme
// target >= 50%) and declined (target <= 5%). Aggregates only.
// Embedded backend only: the SQL behind ServerStore's ReportStore (server_reports.cc); callers use
// report_store.h. Takes the store's database under its lock; not thread-safe on one connection.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/server/report_queries.h"

namespace onecard::server {

// {"area", "as_of", "total", "groups": [{"area": <6-digit area of the referring site>, "service",
// "count", "completed_share", "declined_share"}]} ordered by area and service ("unknown" for the
// sites whose stored area is not a known code, after the codes). Shares are fractions
// in [0, 1] rounded to 3 places. Unless exact, a group of 1–4 referrals is shown as
// {"count": null, "completed_share": null, "declined_share": null, "suppressed": true}, and when
// exactly one group is hidden the smallest other is hidden too (so that no hidden count follows
// from the total by subtraction); a total of 1–4 is null with "total_suppressed": true.
// kInvalidArgument for a prefix that is not 1–6 digits.
// `clock` gives "as_of".
Result<nlohmann::ordered_json> ComputeReferralStats(
    schema::Database& db, const ReferralStatsQuery& query,
    const platform::Clock& clock = platform::SystemClock());

}  // namespace onecard::server
