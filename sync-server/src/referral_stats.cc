#include "referral_stats.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

using nlohmann::ordered_json;

constexpr int64_t kSmallCell = 5;  // as `counts`: 1..4 are suppressed

double Share(int64_t part, int64_t whole) {
  return whole == 0
             ? 0.0
             : std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 1000.0;
}

void Hide(ordered_json& group) {
  group["count"] = nullptr;
  group["completed_share"] = nullptr;
  group["declined_share"] = nullptr;
  group["suppressed"] = true;
}

}  // namespace

Result<ordered_json> ComputeReferralStats(schema::Database& db, const ReferralStatsQuery& query,
                                          const platform::Clock& clock) {
  const std::string& prefix = query.area_prefix;
  if (prefix.empty() || prefix.size() > 6 ||
      !std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--area 必须是 1 到 6 位数字的行政区划代码前缀：" + prefix,
                     "--area must be an area-code prefix of 1 to 6 digits: " + prefix));
  }
  ASSIGN_OR_RETURN(schema::Statement st,
                   db.Prepare("SELECT s.area, r.service, count(*), sum(r.status = 'completed'), "
                              "sum(r.status = 'declined') "
                              "FROM referrals AS r JOIN sites AS s ON s.site_id = r.from_site "
                              "WHERE substr(s.area, 1, ?) = ? "
                              "GROUP BY s.area, r.service ORDER BY s.area, r.service"));
  st.Bind(1, static_cast<int64_t>(prefix.size())).Bind(2, prefix);
  // A site's stored area that is not a known code is shown as "unknown" (stored_values.h); the
  // referrals of all such sites form one group per service.
  struct Tally {
    int64_t count = 0, completed = 0, declined = 0;
  };
  std::map<std::pair<std::string, std::string>, Tally> tallies;
  int64_t total = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    Tally& t = tallies[{StoredAreaPrefix(st.ColumnText(0), 6), st.ColumnText(1)}];
    t.count += st.ColumnInt(2);
    t.completed += st.ColumnInt(3);
    t.declined += st.ColumnInt(4);
    total += st.ColumnInt(2);
  }
  ordered_json groups = ordered_json::array();
  for (const auto& [key, t] : tallies) {
    groups.push_back({{"area", key.first},
                      {"service", key.second},
                      {"count", t.count},
                      {"completed_share", Share(t.completed, t.count)},
                      {"declined_share", Share(t.declined, t.count)}});
  }
  ordered_json out = {
      {"area", prefix}, {"as_of", UtcNowIso8601(clock)}, {"total", total}, {"groups", groups}};
  if (query.exact) return out;

  std::vector<size_t> hidden;
  for (size_t i = 0; i < out["groups"].size(); ++i) {
    if (out["groups"][i]["count"].get<int64_t>() < kSmallCell) hidden.push_back(i);
  }
  if (hidden.size() == 1 && out["groups"].size() > 1) {
    size_t smallest = hidden[0] == 0 ? 1 : 0;
    for (size_t i = 0; i < out["groups"].size(); ++i) {
      if (i != hidden[0] && out["groups"][i]["count"].get<int64_t>() <
                                out["groups"][smallest]["count"].get<int64_t>()) {
        smallest = i;
      }
    }
    hidden.push_back(smallest);
  }
  for (size_t i : hidden) Hide(out["groups"][i]);
  if (total > 0 && total < kSmallCell) {
    out["total"] = nullptr;
    out["total_suppressed"] = true;
  }
  return out;
}

}  // namespace onecard::server
