// The server's storage, as the officials' reports and the operators' identity review see it. The
// embedded SQLCipher store (ServerStore) implements it now; a PostgreSQL store will later, without
// changing the command line that renders the results. Implementations are thread-safe.
//
// Results are the typed values of reports.h, which document every member; the command line prints
// them as text or, converted once (report_json.h), as JSON.
#pragma once

#include <string>
#include <vector>

#include "onecard/protocol/status.h"
#include "onecard/server/report_queries.h"
#include "onecard/server/reports.h"

namespace onecard::server {

class ReportStore {
 public:
  virtual ~ReportStore() = default;

  // Counts of persons, the identity grouping brought up to date with the children first;
  // perturbed by cell key perturbation (docs/disclosure-control.md) unless query.exact, which is
  // recorded in the exact-query audit first. kInvalidArgument for a malformed area prefix or
  // dimension, more than kMaxCountsDimensions dimensions unless exact, a bad `today`, or an exact
  // query with no requested_by.
  virtual Result<CountsReport> Counts(const CountsQuery& query) = 0;

  // Referral outcomes by area and service, perturbed unless query.exact (audited like counts).
  // kInvalidArgument for a prefix that is not 1–6 digits, or an exact query with no requested_by.
  virtual Result<ReferralStatsReport> ReferralStats(const ReferralStatsQuery& query) = 0;

  // Persons who moved into or out of the query's area in its period (docs/flows.md), the identity
  // grouping brought up to date first; perturbed unless query.exact (audited like counts).
  // kInvalidArgument names a malformed prefix, level, date (--from, --to), a period that ends
  // before it begins, or an exact query with no requested_by.
  virtual Result<FlowsReport> Flows(const FlowsQuery& query) = 0;

  // The coverage estimates of areas starting with `area_prefix` (1 to 6 digits; empty: all), by
  // area then category. kInvalidArgument for a malformed prefix.
  virtual Result<std::vector<CoverageEstimate>> CoverageEstimates(
      const std::string& area_prefix) = 0;

  // Children with open conflicts whose residence or hukou area starts with `area_prefix` (digits,
  // at most 6; empty: all). kInvalidArgument for a malformed prefix.
  virtual Result<ConflictsReport> Conflicts(const std::string& area_prefix) = 0;

  // The residence history of the child's person (the grouping is brought up to date first).
  // kNotFound for an unknown child.
  virtual Result<ResidenceHistoryReport> ResidenceHistory(const std::string& child_id) = 0;

  // The identity review queue, the grouping brought up to date first, by decreasing score (an
  // unknown score last).
  virtual Result<std::vector<ReviewQueueEntry>> ReviewQueue() = 0;

  // The decisions log, oldest first.
  virtual Result<std::vector<DecisionLogEntry>> DecisionLog() = 0;

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
