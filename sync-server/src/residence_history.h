// Moves (PRODUCT.md section 5): a change of a child's residence_area is a move out of one area and
// into another. The history is read from the stored events (never overwritten) of all the records
// of the child's person (identity_store.h), so a child registered at a sending site and again at a
// receiving site shows one move between them.
// Embedded backend only: the SQL behind ServerStore's ReportStore (server_reports.cc); callers use
// report_store.h. Takes the store's database under its lock; not thread-safe on one connection.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"

namespace onecard::server {

// {"child_id", "person_id", "records": [child_id...], "hukou_area", "residence_area" (current: of
//  the person's most recent record), "moved_out": bool (residence outside the hukou area's
//  county), "residences": [{"at", "child_id", "terminal_id", "residence_area"}] (each change, in
//  event order), "moves": [{"at", "from", "to"}]}.
// Area codes only: no name or other personal field. kNotFound for an unknown child.
Result<nlohmann::ordered_json> ResidenceHistory(schema::Database& db, const std::string& child_id);

}  // namespace onecard::server
