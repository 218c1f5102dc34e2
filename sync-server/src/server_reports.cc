// ServerStore as a ReportStore: each report runs the embedded backend's SQL (counts.cc, flows.cc,
// referral_stats.cc, conflicts.cc, residence_history.cc, identity_store.cc) under the store's lock.
// Reports of persons bring the identity grouping up to date first, in steps that each take the
// lock (identity_refresh_step.h), so that the grouping they read matches the children they count
// and ingest never waits behind a long refresh. Counts bring the statistics model to today
// first (stats_cube.h), and record an exact query in the audit before answering it.

#include "conflicts.h"
#include "counts.h"
#include "exact_query_audit.h"
#include "flows.h"
#include "identity_refresh_step.h"
#include "identity_store.h"
#include "onecard/server/server_store.h"
#include "referral_stats.h"
#include "residence_history.h"

namespace onecard::server {

Result<CountsReport> ServerStore::Counts(const CountsQuery& query) {
  RETURN_IF_ERROR(RefreshIdentitiesForReport());
  std::lock_guard lock(mu_);
  if (query.exact) {
    RETURN_IF_ERROR(RecordExactQuery(db_, query.requested_by, ExactQueryText(query), *clock_));
  }
  RETURN_IF_ERROR(BringStatsLocked().status());
  return server::ComputeCounts(db_, query, *clock_);
}

Result<ReferralStatsReport> ServerStore::ReferralStats(const ReferralStatsQuery& query) {
  std::lock_guard lock(mu_);
  if (query.exact) {
    RETURN_IF_ERROR(RecordExactQuery(db_, query.requested_by, ExactQueryText(query), *clock_));
  }
  ASSIGN_OR_RETURN(const SecretBytes* secret, CellKeySecretLocked());
  return server::ComputeReferralStats(db_, query, *secret, *clock_);
}

Result<FlowsReport> ServerStore::Flows(const FlowsQuery& query) {
  RETURN_IF_ERROR(RefreshIdentitiesForReport());
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(RecordIfExact(db_, query, *clock_));
  RETURN_IF_ERROR(KeyMovesLocked());
  return server::ComputeFlows(db_, query, *clock_);
}

Result<ConflictsReport> ServerStore::Conflicts(const std::string& area_prefix) {
  std::lock_guard lock(mu_);
  return server::ListConflicts(db_, area_prefix);
}

Result<ResidenceHistoryReport> ServerStore::ResidenceHistory(const std::string& child_id) {
  RETURN_IF_ERROR(RefreshIdentitiesForReport());
  std::lock_guard lock(mu_);
  return server::ResidenceHistory(db_, child_id);
}

Result<std::vector<ReviewQueueEntry>> ServerStore::ReviewQueue() {
  RETURN_IF_ERROR(RefreshIdentitiesForReport());
  std::lock_guard lock(mu_);
  return server::IdentityReviewQueue(db_);
}

Result<std::vector<DecisionLogEntry>> ServerStore::DecisionLog() {
  std::lock_guard lock(mu_);
  return server::IdentityDecisionLog(db_);
}

Status ServerStore::RefreshIdentitiesForReport() {
  // About 0.4 s of indexing at today's cost per record (docs/performance.md).
  constexpr int64_t kReportBacklog = 1000;
  std::chrono::steady_clock::duration limit;
  {
    std::lock_guard lock(mu_);
    limit = report_refresh_limit_;
    if (limit != std::chrono::steady_clock::duration::max()) {
      ASSIGN_OR_RETURN(bool small, IdentityBacklogAtMost(db_, kReportBacklog));
      if (!small) return Status::Ok();  // the background refresh's work, not the official's wait
    }
  }
  return RefreshIdentitiesInSteps(limit).status();
}

Result<IdentityRefreshStats> ServerStore::RefreshIdentitiesInSteps(
    std::chrono::steady_clock::duration limit) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  IdentityRefreshStats stats;
  while (true) {
    bool more = false;
    {
      std::lock_guard lock(mu_);
      ASSIGN_OR_RETURN(more, RunRefreshStep(db_, RefreshStepBudget{}, stats));
    }
    if (!more || Clock::now() - start >= limit) break;
  }
  stats.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return stats;
}

Result<IdentityRefreshStats> ServerStore::RefreshIdentities(bool force) {
  if (force) {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(schema::Transaction tx, schema::Transaction::Begin(db_));
    RETURN_IF_ERROR(StartIdentityRebuild(db_));
    RETURN_IF_ERROR(tx.Commit());
  }
  ASSIGN_OR_RETURN(IdentityRefreshStats stats,
                   RefreshIdentitiesInSteps(std::chrono::steady_clock::duration::max()));
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(CountGrouping(db_, stats));
  return stats;
}

Result<bool> ServerStore::RefreshInBackground() {
  IdentityRefreshStats stats;
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(bool more, RunRefreshStep(db_, RefreshStepBudget{}, stats));
  if (more) return true;
  return EraseAgedOutStepLocked();  // the grouping first: erasures then leave it at once
}

Status ServerStore::DecideIdentity(IdentityCommand command, const std::string& a,
                                   const std::string& b, const std::string& who) {
  RETURN_IF_ERROR(RefreshIdentitiesForReport());
  std::lock_guard lock(mu_);
  return server::DecideIdentity(db_, command, a, b, who);
}

}  // namespace onecard::server
