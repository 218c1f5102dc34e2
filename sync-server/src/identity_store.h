// Identity resolution in the server store (PRODUCT.md section 9, docs/identity-server.md): groups
// the children's records into persons with the resolver (protocol identity_resolver.h, run
// incrementally: identity_refresh_step.h) and the supervisors' decisions, keeps the review queue,
// and logs every decision append-only. A merge never changes or deletes a child's record or events:
// only the grouping (identity_persons) does.
//
// Embedded backend only: the SQL behind ServerStore's ReportStore (server_reports.cc) and its pull
// (server_identity_sync.cc); callers use report_store.h. All functions take the store's database
// under its lock and are not thread-safe on one connection; concurrent processes are serialised by
// SQLite's write lock.
#pragma once

#include <cstdint>
#include <string>

#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/server/report_queries.h"
#include "onecard/server/reports.h"

namespace onecard::server {

// IdentityRefreshStats and IdentityCommand: onecard/server/report_queries.h.

// Records a supervisor's decision on children `a` and `b` (by `who`) and brings the grouping up to
// date (identity_refresh_step.h: best done just before, so that little is left), all in one
// transaction; on an error nothing is written. Errors: kInvalidArgument (a == b),
// kNotFound (no such child), kAlreadyExists (merge: already one person), kFailedPrecondition
// (merge: blocked by a `separate` decision involving their persons; unmerge: not one person).
Status DecideIdentity(schema::Database& db, IdentityCommand command, const std::string& a,
                      const std::string& b, const std::string& who);

// The review queue as of the last refresh, by decreasing score (a score stored as something other
// than a number is none and sorts last). Record fields are as stored (reports.h, RecordValue).
Result<std::vector<ReviewQueueEntry>> IdentityReviewQueue(schema::Database& db);

// The decisions log, oldest first; a score is none when none was stored or it is not a number.
Result<std::vector<DecisionLogEntry>> IdentityDecisionLog(schema::Database& db);

}  // namespace onecard::server
