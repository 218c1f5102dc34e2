// Identity resolution in the server store (PRODUCT.md section 9, docs/identity-server.md): groups
// the children's records into persons with the resolver (protocol identity_resolver.h) and the
// supervisors' decisions, keeps the review queue, and logs every decision append-only. A merge
// never changes or deletes a child's record or events: only the grouping (identity_persons) does.
//
// All functions take the server's database (ServerStore::WithDatabase) and are not thread-safe
// on one connection; concurrent processes are serialised by SQLite's write lock.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"

namespace onecard::server {

struct IdentityRefreshStats {
  bool refreshed = false;   // false when the grouping was already current
  std::size_t records = 0;  // children resolved
  std::size_t persons = 0;  // persons of two or more records
  std::size_t links = 0;
  std::size_t review = 0;
  std::size_t candidate_pairs = 0;
  // Children left out: merged states read this time that could not be parsed, and records
  // without the fields identity needs (name, sex, birth date, hukou area).
  std::size_t unreadable = 0;
  // Wall-clock seconds of the phases: reading and converting the children, resolving and
  // grouping, writing the grouping and the log.
  double read_seconds = 0, resolve_seconds = 0, write_seconds = 0;
};

// Recomputes the grouping from all children and the decisions, in one transaction, and logs the
// automatic links that appeared or disappeared. The children's identity fields are kept in
// identity_records: only the merged states of children changed since the last refresh are read
// again (all of them when `force`). Unless `force`, does nothing when no child has changed since
// the last refresh (children.change_seq), so it is cheap to call before every read.
Result<IdentityRefreshStats> RefreshIdentities(schema::Database& db, bool force);

enum class IdentityCommand { kMerge, kSeparate, kUnmerge };

// Records a supervisor's decision on children `a` and `b` (by `who`) and refreshes the grouping,
// all in one transaction; on an error nothing is written. Errors: kInvalidArgument (a == b),
// kNotFound (no such child), kAlreadyExists (merge: already one person), kFailedPrecondition
// (merge: blocked by a `separate` decision involving their persons; unmerge: not one person).
Status DecideIdentity(schema::Database& db, IdentityCommand command, const std::string& a,
                      const std::string& b, const std::string& who);

// The review queue as of the last refresh: [{"a", "b", "score", "reasons": [...], "reasons_text",
// "records": [{child_id, name, sex, birth_date, hukou_area, residence_area}, ...]}], by decreasing
// score. Record fields are as stored (any JSON type: a name may be a number in old data); a score
// stored as something other than a number is null and sorts last.
Result<nlohmann::ordered_json> IdentityReviewQueue(schema::Database& db);

// The decisions log, oldest first: [{"decision_id", "kind", "a", "b", "score", "reasons",
// "decided_by", "decided_at"}]; "score" is null when none was stored or it is not a number.
Result<nlohmann::ordered_json> IdentityDecisionLog(schema::Database& db);

}  // namespace onecard::server
