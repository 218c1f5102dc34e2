#include "referral_stats.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

#include "cell_key.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "record_key.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

double Share(int64_t part, int64_t whole) {
  return whole == 0
             ? 0.0
             : std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 1000.0;
}

// One group's referrals as counted: all of them, the completed and the declined, each with its
// cell key (cell_key.h).
struct Tally {
  KeyedCount all, completed, declined;
};
// Referrals by (area of the referring site, service), in that order.
using Tallies = std::map<std::pair<std::string, std::string>, Tally>;

// Tallies the referrals made by sites whose area starts with `prefix`. A site's stored area that
// is not a known code is counted as "unknown" (stored_values.h): the referrals of all such sites
// form one group per service. A referral is the counted record: its key is
// RecordKey(secret, "referral/" + referral_id).
Result<Tallies> TallyReferrals(schema::Database& db, const std::string& prefix,
                               const SecretBytes& cell_key_secret) {
  ASSIGN_OR_RETURN(schema::Statement st,
                   db.Prepare("SELECT s.area, r.service, r.status, r.referral_id "
                              "FROM referrals AS r JOIN sites AS s ON s.site_id = r.from_site "
                              "WHERE substr(s.area, 1, ?) = ?"));
  st.Bind(1, static_cast<int64_t>(prefix.size())).Bind(2, prefix);
  Tallies tallies;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return tallies;
    Tally& t = tallies[{StoredAreaPrefix(st.ColumnText(0), 6), st.ColumnText(1)}];
    const KeyedCount one{1, RecordKey(cell_key_secret, "referral/" + st.ColumnText(3))};
    const std::string status = st.ColumnText(2);
    t.all.Add(one);
    if (status == "completed") t.completed.Add(one);
    if (status == "declined") t.declined.Add(one);
  }
}

// A share of a published group: its published part over its published whole, at most 1; none when
// the part is suppressed (so that no share reveals a count under kSmallCell).
std::optional<double> PublishedShare(const KeyedCount& part, int64_t published_whole) {
  std::optional<int64_t> published_part = PublishCount(part);
  if (!published_part) return std::nullopt;
  return std::min(1.0, Share(*published_part, published_whole));
}

// The group as an official sees it (docs/disclosure-control.md): the count perturbed, the shares
// computed from perturbed counts; all three none when the count is suppressed.
ReferralStatsGroup PublishedGroup(const std::string& area, const std::string& service,
                                  const Tally& t) {
  ReferralStatsGroup g{area, service, PublishCount(t.all), std::nullopt, std::nullopt};
  if (!g.count || *g.count == 0) return g;
  g.completed_share = PublishedShare(t.completed, *g.count);
  g.declined_share = PublishedShare(t.declined, *g.count);
  return g;
}

}  // namespace

Result<ReferralStatsReport> ComputeReferralStats(schema::Database& db,
                                                 const ReferralStatsQuery& query,
                                                 const SecretBytes& cell_key_secret,
                                                 const platform::Clock& clock) {
  const std::string& prefix = query.area_prefix;
  if (prefix.empty() || prefix.size() > 6 ||
      !std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--area 必须是 1 到 6 位数字的行政区划代码前缀：" + prefix,
                     "--area must be an area-code prefix of 1 to 6 digits: " + prefix));
  }
  ASSIGN_OR_RETURN(Tallies tallies, TallyReferrals(db, prefix, cell_key_secret));
  ReferralStatsReport report{prefix, UtcNowIso8601(clock), std::nullopt, {}};
  KeyedCount total;
  for (const auto& [key, t] : tallies) {
    total.Add(t.all);
    if (!query.exact) {
      report.groups.push_back(PublishedGroup(key.first, key.second, t));
      continue;
    }
    report.groups.push_back({key.first, key.second, t.all.n, Share(t.completed.n, t.all.n),
                             Share(t.declined.n, t.all.n)});
  }
  report.total = query.exact ? std::optional<int64_t>(total.n) : PublishCount(total);
  return report;
}

}  // namespace onecard::server
