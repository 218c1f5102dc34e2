// Counts for officials (PRODUCT.md section 11, CLI.md `counts`): aggregates only, never a record.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"

namespace onecard::server {

struct CountsQuery {
  std::string area_prefix;           // 2, 4 or 6 digits (any prefix of a code)
  bool moved_out = false;            // hukou in the area, residence elsewhere
  std::vector<std::string> by;       // dimensions: category, sex, age_band, school_status,
                                     // hukou_area[:N], residence_area[:N]
  bool exact = false;                // no small-cell suppression (administrators at the server)
  std::string today;                 // YYYY-MM-DD for ages (China time); empty: today
};

// Parses "category,sex,residence_area:4" into dimension names; kInvalidArgument names a bad one.
Result<std::vector<std::string>> ParseDimensions(const std::string& text);

// {"area", "as_of", "total", "groups": [{<dim>: <value>..., "count": n}]} with, unless exact, cells
// of 1–4 shown as {"count": null, "suppressed": true} and complementary cells suppressed so that no
// hidden cell can be recovered by subtraction from the total. A stored value that no registration
// may hold today (a category "alien", a birth date "2019-02-30", an area "999999", NULL) is counted
// in the cell "unknown" of its dimension; stored data never makes the count fail. kInvalidArgument
// for a malformed area prefix, dimension or `today`.
// `clock` gives "today" (when query.today is empty) and "as_of".
Result<nlohmann::ordered_json> ComputeCounts(schema::Database& db, const CountsQuery& query,
                                             const platform::Clock& clock = platform::SystemClock());

// Age band of a child aged `years`: "0-2", "3-5", "6-11", "12-14", "15-17" (or "18+").
std::string AgeBand(int years);

}  // namespace onecard::server
