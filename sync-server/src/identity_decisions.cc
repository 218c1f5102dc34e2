#include "identity_decisions.h"

#include <algorithm>

#include "onecard/platform/clock.h"
#include "onecard/protocol/timestamp.h"

namespace onecard::server {

using schema::Database;
using schema::Statement;

Result<IdentityDecisions> LoadDecisions(Database& db) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare(std::string("SELECT a, b, kind FROM identity_decisions "
                                                        "WHERE kind IN ('merge', 'separate', "
                                                        "'unmerge') ORDER BY ") +
                                            kDecisionOrder));
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

int64_t ServerDecisionHlc() { return platform::SystemClock().WallMs() << 16; }

Status AppendDecision(Database& db, const std::string& kind, const std::string& a,
                      const std::string& b, std::optional<double> score, uint32_t reasons,
                      const std::string& who, int64_t decided_hlc) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("INSERT INTO identity_decisions(kind, a, b, score, reasons, "
                              "decided_by, decided_at, decided_hlc) VALUES (?, ?, ?, ?, ?, ?, ?, "
                              "?)"));
  st.Bind(1, kind).Bind(2, std::min(a, b)).Bind(3, std::max(a, b));
  // Scores are halves at most (identity_score.h): stored exactly as REAL through text.
  if (score) {
    st.Bind(4, std::to_string(*score));
  } else {
    st.BindNull(4);
  }
  return st.Bind(5, static_cast<int64_t>(reasons))
      .Bind(6, who)
      .Bind(7, UtcIso8601((decided_hlc >> 16) / 1000))
      .Bind(8, decided_hlc)
      .Run();
}

}  // namespace onecard::server
