// Counts for officials (PRODUCT.md section 11, CLI.md `counts`): aggregates only, never a record.
// Embedded backend only: the SQL behind ServerStore's ReportStore (server_reports.cc); callers use
// report_store.h. Takes the store's database under its lock; not thread-safe on one connection.
#pragma once

#include <string>
#include <vector>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/server/report_queries.h"
#include "onecard/server/reports.h"

namespace onecard::server {

// CountsQuery and ParseDimensions: onecard/server/report_queries.h.

// Counts of the persons in the query's area (reports.h has the report's members and rules), summed
// from the statistics model's cells (stats_cube.h; the caller brings it to today first), each cell
// with its key sum and published through PublishCount (cell_key.h) unless query.exact; more than
// kMaxCountsDimensions dimensions only when exact. No audit here: the ReportStore records exact
// queries. Stored data never makes the count fail: a stored value no registration may hold today
// is counted in the cell "unknown" of its dimension. kInvalidArgument for a malformed area prefix
// or dimension. "as_of" is the time of the newest fact the cells include (`clock` when none).
Result<CountsReport> ComputeCounts(schema::Database& db, const CountsQuery& query,
                                   const platform::Clock& clock = platform::SystemClock());

// Age band of a child aged `years`: "0-2", "3-5", "6-11", "12-14", "15-17" (or "18+").
std::string AgeBand(int years);

}  // namespace onecard::server
