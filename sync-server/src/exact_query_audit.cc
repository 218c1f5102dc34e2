#include "exact_query_audit.h"

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"

namespace onecard::server {
namespace {

// " --by a,b", or "" without dimensions.
std::string ByText(const std::vector<std::string>& by) {
  std::string text;
  for (size_t i = 0; i < by.size(); ++i) text += (i == 0 ? " --by " : ",") + by[i];
  return text;
}

}  // namespace

std::string ExactQueryText(const CountsQuery& query) {
  std::string text = "counts --area " + query.area_prefix;
  if (query.moved_out) text += " --moved-out";
  text += ByText(query.by);
  return text + " --exact";
}

std::string ExactQueryText(const ReferralStatsQuery& query) {
  std::string text = "referrals stats --area " + query.area_prefix + ByText(query.by);
  if (!query.from.empty()) text += " --from " + query.from;
  if (!query.to.empty()) text += " --to " + query.to;
  return text + " --exact";
}

std::string ExactQueryText(const FlowsQuery& query) {
  std::string text = "counts --flows --area " + query.area_prefix + " --from " + query.from +
                     " --to " + query.to + " --by from_area:" + std::to_string(query.from_digits) +
                     ",to_area:" + std::to_string(query.to_digits);
  if (query.hukou_digits > 0) text += ",hukou_area:" + std::to_string(query.hukou_digits);
  return text + " --exact";
}

Status RecordExactQuery(schema::Database& db, const std::string& who, const std::string& query_text,
                        const platform::Clock& clock) {
  if (who.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("精确查询必须记录查询人，但未提供查询人：" + query_text,
                     "an exact query is audited and must name who asks; nobody was named for: " +
                         query_text));
  }
  ASSIGN_OR_RETURN(schema::Statement st,
                   db.Prepare("INSERT INTO exact_query_audit(requested_by, requested_at, query) "
                              "VALUES (?, ?, ?)"));
  return st.Bind(1, who).Bind(2, UtcNowIso8601(clock)).Bind(3, query_text).Run();
}

}  // namespace onecard::server
