// The audit of exact queries (migration 012, table exact_query_audit): `counts --exact` and
// `referrals stats --exact` show true small counts, so each one is recorded, append-only, with who
// asked, when and what, before it is answered. Embedded backend only; not thread-safe on one
// connection.
#pragma once

#include <string>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/server/report_queries.h"

namespace onecard::server {

// The query as the command line would take it: "counts --area 4403 --moved-out --by sex --exact".
std::string ExactQueryText(const CountsQuery& query);
std::string ExactQueryText(const ReferralStatsQuery& query);
std::string ExactQueryText(const FlowsQuery& query);

// Records that `who` asks `query_text` now. kInvalidArgument when `who` is empty (an exact query is
// never anonymous).
Status RecordExactQuery(schema::Database& db, const std::string& who, const std::string& query_text,
                        const platform::Clock& clock);

// RecordExactQuery of `query` (a CountsQuery, ReferralStatsQuery or FlowsQuery) when it is exact;
// Ok, recording nothing, when it is not.
template <typename Query>
Status RecordIfExact(schema::Database& db, const Query& query, const platform::Clock& clock) {
  if (!query.exact) return Status::Ok();
  return RecordExactQuery(db, query.requested_by, ExactQueryText(query), clock);
}

}  // namespace onecard::server
