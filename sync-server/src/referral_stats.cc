#include "referral_stats.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "small_cells.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

double Share(int64_t part, int64_t whole) {
  return whole == 0
             ? 0.0
             : std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 1000.0;
}

struct Tally {
  int64_t count = 0, completed = 0, declined = 0;
};
// Referrals by (area of the referring site, service), in that order.
using Tallies = std::map<std::pair<std::string, std::string>, Tally>;

// Tallies the referrals made by sites whose area starts with `prefix`. A site's stored area that
// is not a known code is counted as "unknown" (stored_values.h): the referrals of all such sites
// form one group per service.
Result<Tallies> TallyReferrals(schema::Database& db, const std::string& prefix) {
  ASSIGN_OR_RETURN(schema::Statement st,
                   db.Prepare("SELECT s.area, r.service, count(*), sum(r.status = 'completed'), "
                              "sum(r.status = 'declined') "
                              "FROM referrals AS r JOIN sites AS s ON s.site_id = r.from_site "
                              "WHERE substr(s.area, 1, ?) = ? "
                              "GROUP BY s.area, r.service ORDER BY s.area, r.service"));
  st.Bind(1, static_cast<int64_t>(prefix.size())).Bind(2, prefix);
  Tallies tallies;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return tallies;
    Tally& t = tallies[{StoredAreaPrefix(st.ColumnText(0), 6), st.ColumnText(1)}];
    t.count += st.ColumnInt(2);
    t.completed += st.ColumnInt(3);
    t.declined += st.ColumnInt(4);
  }
}

}  // namespace

Result<ReferralStatsReport> ComputeReferralStats(schema::Database& db,
                                                 const ReferralStatsQuery& query,
                                                 const platform::Clock& clock) {
  const std::string& prefix = query.area_prefix;
  if (prefix.empty() || prefix.size() > 6 ||
      !std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--area 必须是 1 到 6 位数字的行政区划代码前缀：" + prefix,
                     "--area must be an area-code prefix of 1 to 6 digits: " + prefix));
  }
  ASSIGN_OR_RETURN(Tallies tallies, TallyReferrals(db, prefix));
  ReferralStatsReport report{prefix, UtcNowIso8601(clock), std::nullopt, {}};
  std::vector<int64_t> counts;
  int64_t total = 0;
  for (const auto& [key, t] : tallies) {
    report.groups.push_back(
        {key.first, key.second, t.count, Share(t.completed, t.count), Share(t.declined, t.count)});
    counts.push_back(t.count);
    total += t.count;
  }
  report.total = total;
  if (query.exact) return report;
  for (size_t i : CellsToHide(counts)) {
    ReferralStatsGroup& hidden = report.groups[i];
    hidden.count.reset();
    hidden.completed_share.reset();
    hidden.declined_share.reset();
  }
  if (IsSmallCount(total)) report.total.reset();
  return report;
}

}  // namespace onecard::server
