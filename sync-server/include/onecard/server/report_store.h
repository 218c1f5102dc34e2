// The server's storage, as the officials' reports and the operators' identity review see it. The
// embedded SQLCipher store (ServerStore) implements it now; a PostgreSQL store will later, without
// changing the command line that renders the results. Implementations are thread-safe.
//
// Results are JSON for now, in the shapes documented on each method (CLI.md prints them with
// --json unchanged), so every backend must produce exactly these members.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "onecard/protocol/status.h"
#include "onecard/server/report_queries.h"

namespace onecard::server {

class ReportStore {
 public:
  virtual ~ReportStore() = default;

  // Counts of persons (the identity grouping is brought up to date with the children first):
  // {"area", "as_of", "total", "groups": [{<dim>: <value>..., "count": n}]} with, unless exact,
  // cells of 1–4 shown as {"count": null, "suppressed": true} and complementary cells suppressed so
  // that no hidden cell can be recovered by subtraction from the total. A stored value that no
  // registration may hold today is counted in the cell "unknown" of its dimension; stored data
  // never makes the count fail. kInvalidArgument for a malformed area prefix, dimension or `today`.
  virtual Result<nlohmann::ordered_json> Counts(const CountsQuery& query) = 0;

  // {"area", "as_of", "total", "groups": [{"area", "service", "count", "completed_share",
  // "declined_share"}]} by area and service, small cells suppressed unless exact
  // (referral_stats.h of the embedded store has the rules). kInvalidArgument for a bad prefix.
  virtual Result<nlohmann::ordered_json> ReferralStats(const ReferralStatsQuery& query) = 0;

  // Children with open conflicts whose residence or hukou area starts with `area_prefix` (digits,
  // at most 6; empty: all): {"area", "children": [{"child_id", "name", "residence_area",
  // "hukou_area", "conflicts": [FieldConflict JSON]}]}; an unreadable child has "name": null,
  // "unreadable": true. kInvalidArgument for a malformed prefix.
  virtual Result<nlohmann::json> Conflicts(const std::string& area_prefix) = 0;

  // The residence history of the child's person (the grouping is brought up to date first):
  // {"child_id", "person_id", "records", "hukou_area", "residence_area", "moved_out",
  // "residences": [...], "moves": [{"at", "from", "to"}]}. Area codes only. kNotFound for an
  // unknown child.
  virtual Result<nlohmann::ordered_json> ResidenceHistory(const std::string& child_id) = 0;

  // The identity review queue, the grouping brought up to date first: [{"a", "b", "score",
  // "reasons", "reasons_text", "records": [...]}] by decreasing score.
  virtual Result<nlohmann::ordered_json> ReviewQueue() = 0;

  // The decisions log, oldest first: [{"decision_id", "kind", "a", "b", "score", "reasons",
  // "decided_by", "decided_at"}].
  virtual Result<nlohmann::ordered_json> DecisionLog() = 0;

  // Recomputes the identity grouping; unless `force`, does nothing when no child or decision
  // changed since the last refresh.
  virtual Result<IdentityRefreshStats> RefreshIdentities(bool force) = 0;

  // Records a supervisor's decision on children `a` and `b` (by `who`) and regroups, atomically.
  // Errors: kInvalidArgument (a == b), kNotFound (no such child), kAlreadyExists (merge: already
  // one person), kFailedPrecondition (merge blocked by a `separate`; unmerge: not one person).
  virtual Status DecideIdentity(IdentityCommand command, const std::string& a, const std::string& b,
                                const std::string& who) = 0;
};

}  // namespace onecard::server
