// Counts for officials (PRODUCT.md section 11, CLI.md `counts`): aggregates only, never a record.
// Embedded backend only: the SQL behind ServerStore's ReportStore (server_reports.cc); callers use
// report_store.h. Takes the store's database under its lock; not thread-safe on one connection.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/server/report_queries.h"

namespace onecard::server {

// CountsQuery and ParseDimensions: onecard/server/report_queries.h.

// {"area", "as_of", "total", "groups": [{<dim>: <value>..., "count": n}]} with, unless exact, cells
// of 1–4 shown as {"count": null, "suppressed": true} and complementary cells suppressed so that no
// hidden cell can be recovered by subtraction from the total. A stored value that no registration
// may hold today (a category "alien", a birth date "2019-02-30", an area "999999", NULL) is counted
// in the cell "unknown" of its dimension; stored data never makes the count fail. kInvalidArgument
// for a malformed area prefix, dimension or `today`.
// `clock` gives "today" (when query.today is empty) and "as_of".
Result<nlohmann::ordered_json> ComputeCounts(
    schema::Database& db, const CountsQuery& query,
    const platform::Clock& clock = platform::SystemClock());

// Age band of a child aged `years`: "0-2", "3-5", "6-11", "12-14", "15-17" (or "18+").
std::string AgeBand(int years);

}  // namespace onecard::server
