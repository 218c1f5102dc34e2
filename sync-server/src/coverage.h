// Coverage (PRODUCT.md section 11, issue 13 item 5): an administrator's estimate of the children
// an area should have, and the children registered there against it. Backend-independent: the
// estimates come from a ReportStore (CoverageEstimates) and the registered counts from its Counts,
// so they are published with the same disclosure control as `counts` (docs/disclosure-control.md).
// Thread-safe when the store is.
#pragma once

#include <string>

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/server/report_queries.h"
#include "onecard/server/report_store.h"
#include "onecard/server/reports.h"

namespace onecard::server {

// Checks an estimate before it is stored and writes its area in its shortest form (a 6-digit
// code of a prefecture "440300" becomes "4403", of a province "440000" becomes "44", the prefixes
// counts take). kInvalidArgument names the flag: --area (2, 4 or 6 digits of a known GB/T 2260
// area), --category (migrant, left_behind, all), --estimate (at least 1), --source (not empty),
// --year (1949 to 2100).
Status CheckCoverageEstimate(CoverageEstimate& estimate);

// Coverage of every estimate whose area starts with `area_prefix` (1 to 6 digits): registered is
// what `counts --area AREA --by category` publishes (the category's cell, or the total for
// "all"), never exact. as_of is the newest of the counts' as_of (`clock`'s now when there is no
// estimate). kInvalidArgument for a malformed prefix.
Result<CoverageReport> ComputeCoverage(ReportStore& reports, const std::string& area_prefix,
                                       const platform::Clock& clock);

}  // namespace onecard::server
