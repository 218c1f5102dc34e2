// Open conflicts of children at the server (protocol/docs/merge.md), for `onecard-server
// conflicts`: an administrator at the server sees which concurrent edits lost, to have a supervisor
// at a terminal of the area resolve them.
// Embedded backend only: the SQL behind ServerStore's ReportStore (server_reports.cc); callers use
// report_store.h. Takes the store's database under its lock; not thread-safe on one connection.
#pragma once

#include <string>

#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/server/reports.h"

namespace onecard::server {

// Children with open conflicts whose residence or hukou area starts with `area_prefix` (digits, at
// most 6; empty: all), by child_id. kInvalidArgument for a malformed prefix. A child whose stored
// state does not parse is listed as unreadable, with no name and no conflicts (stored data never
// makes the list fail).
Result<ConflictsReport> ListConflicts(schema::Database& db, const std::string& area_prefix);

}  // namespace onecard::server
