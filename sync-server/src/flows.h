// Flows between areas (issue 13 item 3, `counts --flows`, docs/flows.md): the persons who moved
// into or out of an area in a period, by from-area, to-area and month (and the movers' hukou area
// when asked), read from the moves table (moves.h) by its indexes, never from the events.
// Embedded backend only: the SQL behind ServerStore's ReportStore (server_reports.cc); callers use
// report_store.h. Takes the store's database under its lock; not thread-safe on one connection.
#pragma once

#include "onecard/platform/clock.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/server/report_queries.h"
#include "onecard/server/reports.h"

namespace onecard::server {

// ParseFlowLevels: onecard/server/report_queries.h.

// The flows of `query` (reports.h has the report's members). A move counts when its date in China
// lies in [query.from, query.to] and its from-area or its to-area starts with the prefix (the
// hukou area groups the moves, it selects none). Counts
// are of persons (identity_store.h: a person of several records is one), each cell counted with
// the key sum of each of its persons' first move in it (moves.h) and published through
// PublishCount (cell_key.h) unless query.exact. No audit here: the ReportStore records exact
// queries. kInvalidArgument names a malformed prefix, level or date, or a period that ends
// before it begins. `clock` gives "as_of" when no move is counted.
Result<FlowsReport> ComputeFlows(schema::Database& db, const FlowsQuery& query,
                                 const platform::Clock& clock = platform::SystemClock());

}  // namespace onecard::server
