#include "identity_decisions.h"

#include <algorithm>

#include "onecard/platform/clock.h"
#include "onecard/protocol/timestamp.h"

namespace onecard::server {

using schema::Database;
using schema::Statement;

Result<IdentityDecisions> LoadDecisions(Database& db) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT a, b, kind FROM identity_decisions WHERE kind "
                                            "IN ('merge', 'separate', 'unmerge') "
                                            "ORDER BY decision_id"));
  IdentityDecisions decisions;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    std::string kind = st.ColumnText(2);
    decisions[{st.ColumnText(0), st.ColumnText(1)}] = kind == "merge" ? IdentityDecisionKind::kMerge
                                                      : kind == "separate"
                                                          ? IdentityDecisionKind::kSeparate
                                                          : IdentityDecisionKind::kUnmerge;
  }
  return decisions;
}

Status AppendDecision(Database& db, const std::string& kind, const std::string& a,
                      const std::string& b, std::optional<double> score, uint32_t reasons,
                      const std::string& who) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("INSERT INTO identity_decisions(kind, a, b, score, reasons, "
                              "decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  st.Bind(1, kind).Bind(2, std::min(a, b)).Bind(3, std::max(a, b));
  // Scores are halves at most (identity_score.h): stored exactly as REAL through text.
  if (score) {
    st.Bind(4, std::to_string(*score));
  } else {
    st.BindNull(4);
  }
  return st.Bind(5, static_cast<int64_t>(reasons))
      .Bind(6, who)
      .Bind(7, UtcNowIso8601(platform::SystemClock()))
      .Run();
}

}  // namespace onecard::server
