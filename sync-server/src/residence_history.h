// Moves (PRODUCT.md section 5): a change of a child's residence_area is a move out of one area and
// into another. The history is read from the stored events (never overwritten) of all the records
// of the child's person (identity_store.h), so a child registered at a sending site and again at a
// receiving site shows one move between them.
// Embedded backend only: the SQL behind ServerStore's ReportStore (server_reports.cc); callers use
// report_store.h. Takes the store's database under its lock; not thread-safe on one connection.
#pragma once

#include <string>

#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/server/reports.h"

namespace onecard::server {

// The residence history of the person of `child_id` (reports.h has the report's members): area
// codes only, no name or other personal field. kNotFound for an unknown child.
Result<ResidenceHistoryReport> ResidenceHistory(schema::Database& db, const std::string& child_id);

}  // namespace onecard::server
