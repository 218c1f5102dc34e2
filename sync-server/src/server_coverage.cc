// ServerStore's coverage estimates (migration 016; coverage.h reports them).

#include "area_prefix_check.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/server/server_store.h"

namespace onecard::server {

Status ServerStore::SetCoverageEstimate(const CoverageEstimate& e) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(
      schema::Statement st,
      db_.Prepare("INSERT INTO coverage_estimates(area, category, estimate, source, year, set_by, "
                  "set_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(area, category) DO UPDATE SET "
                  "estimate = excluded.estimate, source = excluded.source, year = excluded.year, "
                  "set_by = excluded.set_by, set_at = excluded.set_at"));
  st.Bind(1, e.area).Bind(2, e.category).Bind(3, e.estimate).Bind(4, e.source);
  return st.Bind(5, int64_t{e.year}).Bind(6, e.set_by).Bind(7, UtcNowIso8601(*clock_)).Run();
}

Result<std::vector<CoverageEstimate>> ServerStore::CoverageEstimates(
    const std::string& area_prefix) {
  if (!area_prefix.empty()) RETURN_IF_ERROR(CheckAreaPrefix(area_prefix, "--area"));
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(schema::Statement st,
                   db_.Prepare("SELECT area, category, estimate, source, year, set_by, set_at "
                               "FROM coverage_estimates WHERE substr(area, 1, ?1) = ?2 "
                               "ORDER BY area, category"));
  st.Bind(1, static_cast<int64_t>(area_prefix.size())).Bind(2, area_prefix);
  std::vector<CoverageEstimate> estimates;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return estimates;
    estimates.push_back({st.ColumnText(0), st.ColumnText(1), st.ColumnInt(2), st.ColumnText(3),
                         static_cast<int>(st.ColumnInt(4)), st.ColumnText(5), st.ColumnText(6)});
  }
}

}  // namespace onecard::server
