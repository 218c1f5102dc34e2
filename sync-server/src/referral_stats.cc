#include "referral_stats.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

#include "cell_key.h"
#include "onecard/protocol/civil_date.h"
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

// One group's referrals as counted: all of them and those of each outcome reported, each with
// its cell key (cell_key.h).
struct Tally {
  KeyedCount all, completed, declined, declined_inappropriate, closed_unreached;
};
// Referrals by their values of the query's dimensions, in its order.
using Tallies = std::map<std::vector<std::string>, Tally>;

// One referral as the statistics read it.
struct CountedReferral {
  std::string area;     // the referring site's, StoredAreaPrefix
  std::string service;  // as stored
  std::string sex;      // the child's, StoredSex ("unknown" when the server holds no child)
  std::optional<CivilDate> created;  // in China; none for a stamp no date can be read from
  std::string status, decline_reason;
};

// The creation date in China of a referral created at `created_hlc`; none when the stamp's time
// lies past year 9999 (a row written by anything: InChinaAt's precondition).
std::optional<CivilDate> CreatedOn(uint64_t created_hlc) {
  constexpr uint64_t kLastSafeMs = 253402272000000;  // 9999-12-31T00:00:00Z
  const uint64_t ms = created_hlc >> 16;
  if (ms > kLastSafeMs) return std::nullopt;
  return CivilDate::InChinaAt(ms);
}

std::string ValueOf(const std::string& dimension, const CountedReferral& r) {
  if (dimension == "area") return r.area;
  if (dimension == "service") return r.service;
  if (dimension == "sex") return r.sex;
  ONECARD_CHECK(dimension == "period");  // ParseReferralDimensions admits no other
  return r.created ? r.created->ToString().substr(0, 7) : kUnknownValue;
}

// The creation dates a query admits, both ends included; an end that is none is open.
struct CreationRange {
  std::optional<CivilDate> from, to;

  bool Admits(const std::optional<CivilDate>& created) const {
    if (!from && !to) return true;
    return created && (!from || *from <= *created) && (!to || *created <= *to);
  }
};

Result<std::optional<CivilDate>> RangeEnd(const std::string& text, const std::string& flag) {
  if (text.empty()) return std::optional<CivilDate>();
  Result<CivilDate> date = CivilDate::Parse(text);
  if (!date.ok()) {
    return Status(ErrorCode::kInvalidArgument, Tr(flag + " 应为日期 YYYY-MM-DD：" + text,
                                                  flag + " must be a date YYYY-MM-DD: " + text));
  }
  return std::optional<CivilDate>(*date);
}

// The creation dates the query admits; kInvalidArgument names a bad end. Whole months only,
// unless exact: every range of days would be a further set of referrals with its own
// perturbation, and many overlapping ranges would let their differences pin a small count
// (docs/disclosure-control.md).
Result<CreationRange> CheckedRange(const ReferralStatsQuery& query) {
  CreationRange range;
  ASSIGN_OR_RETURN(range.from, RangeEnd(query.from, "--from"));
  ASSIGN_OR_RETURN(range.to, RangeEnd(query.to, "--to"));
  if (range.from && range.to && *range.to < *range.from) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--to（" + query.to + "）早于 --from（" + query.from + "）",
                     "--to (" + query.to + ") is before --from (" + query.from + ")"));
  }
  if (!query.exact && range.from && range.from->day != 1) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--from 应为某月的第一天（按整月统计）：" + query.from,
                     "--from must be the first day of a month (whole months): " + query.from));
  }
  if (!query.exact && range.to &&
      CivilDate::FromDays(range.to->ToDays() + 1).month == range.to->month) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--to 应为某月的最后一天（按整月统计）：" + query.to,
                     "--to must be the last day of a month (whole months): " + query.to));
  }
  return range;
}

// The query's prefix and dimensions checked, then its range (CheckedRange); kInvalidArgument
// names the bad one.
Result<CreationRange> CheckQuery(const ReferralStatsQuery& query) {
  const std::string& prefix = query.area_prefix;
  if (prefix.empty() || prefix.size() > 6 ||
      !std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--area 必须是 1 到 6 位数字的行政区划代码前缀：" + prefix,
                     "--area must be an area-code prefix of 1 to 6 digits: " + prefix));
  }
  for (const std::string& d : query.by) {
    RETURN_IF_ERROR(ParseReferralDimensions(d).status());
  }
  return CheckedRange(query);
}

// The referrals counted, grouped, and when the newest of them last changed at the server.
struct Tallied {
  Tallies tallies;
  std::string newest_change;  // "" when none
};

// Tallies the referrals made by sites whose area starts with the query's prefix and created in
// `range`, by `dimensions`. A site's stored area that is not a known code is "unknown"
// (stored_values.h). A referral is the counted record: its key is
// RecordKey(secret, "referral/" + referral_id).
Result<Tallied> TallyReferrals(schema::Database& db, const std::string& prefix,
                               const CreationRange& range,
                               const std::vector<std::string>& dimensions,
                               const SecretBytes& cell_key_secret) {
  ASSIGN_OR_RETURN(
      schema::Statement st,
      db.Prepare("SELECT s.area, r.service, c.sex, r.created_hlc, r.status, r.decline_reason, "
                 "r.referral_id, r.changed_at "
                 "FROM referrals AS r JOIN sites AS s ON s.site_id = r.from_site "
                 "LEFT JOIN children AS c ON c.child_id = r.child_id "
                 "WHERE substr(s.area, 1, ?) = ?"));
  st.Bind(1, static_cast<int64_t>(prefix.size())).Bind(2, prefix);
  Tallied out;
  const RecordKeyer keyer(cell_key_secret);
  RETURN_IF_ERROR(st.ForEachRow([&](const schema::Statement& row) {
    const CountedReferral r{StoredAreaPrefix(row.ColumnText(0), 6),
                            row.ColumnText(1),
                            StoredSex(row.ColumnText(2)),
                            CreatedOn(static_cast<uint64_t>(row.ColumnInt(3))),
                            row.ColumnText(4),
                            row.ColumnText(5)};
    if (!range.Admits(r.created)) return;
    std::vector<std::string> values;
    for (const std::string& d : dimensions) values.push_back(ValueOf(d, r));
    Tally& t = out.tallies[values];
    const KeyedCount one{1, keyer.Of("referral/" + row.ColumnText(6))};
    t.all.Add(one);
    if (r.status == "completed") t.completed.Add(one);
    if (r.status == "declined") t.declined.Add(one);
    if (r.status == "declined" && r.decline_reason == "inappropriate")
      t.declined_inappropriate.Add(one);
    if (r.status == "closed_unreached") t.closed_unreached.Add(one);
    out.newest_change = std::max(out.newest_change, row.ColumnText(7));
  }));
  return out;
}

// "As of" when the answer includes no referral: the newest change of any referral (the answer
// has been true since), or the clock when the server holds none.
Result<std::string> AsOfWithoutReferrals(schema::Database& db, const platform::Clock& clock) {
  ASSIGN_OR_RETURN(schema::Statement st,
                   db.Prepare("SELECT coalesce(max(changed_at), '') FROM referrals"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  ONECARD_CHECK(row);
  std::string newest = st.ColumnText(0);
  return newest.empty() ? UtcNowIso8601(clock) : newest;
}

// A share of a published group: its published part over its published whole, at most 1; none when
// the part is suppressed (so that no share reveals a count under kSmallCell).
std::optional<double> PublishedShare(const KeyedCount& part, int64_t published_whole) {
  std::optional<int64_t> published_part = PublishCount(part);
  if (!published_part) return std::nullopt;
  return std::min(1.0, Share(*published_part, published_whole));
}

// The group as an official sees it (docs/disclosure-control.md): the count perturbed, the shares
// computed from perturbed counts; all none when the count is suppressed.
ReferralStatsGroup PublishedGroup(std::vector<std::string> values, const Tally& t) {
  ReferralStatsGroup g{std::move(values), PublishCount(t.all)};
  if (!g.count || *g.count == 0) return g;
  g.completed_share = PublishedShare(t.completed, *g.count);
  g.declined_share = PublishedShare(t.declined, *g.count);
  g.declined_inappropriate_share = PublishedShare(t.declined_inappropriate, *g.count);
  g.closed_unreached_share = PublishedShare(t.closed_unreached, *g.count);
  return g;
}

ReferralStatsGroup ExactGroup(std::vector<std::string> values, const Tally& t) {
  const int64_t n = t.all.n;
  return {std::move(values),
          n,
          Share(t.completed.n, n),
          Share(t.declined.n, n),
          Share(t.declined_inappropriate.n, n),
          Share(t.closed_unreached.n, n)};
}

}  // namespace

Result<ReferralStatsReport> ComputeReferralStats(schema::Database& db,
                                                 const ReferralStatsQuery& query,
                                                 const SecretBytes& cell_key_secret,
                                                 const platform::Clock& clock) {
  ASSIGN_OR_RETURN(CreationRange range, CheckQuery(query));
  ReferralStatsReport report{query.area_prefix, "",      std::nullopt, query.by, {},
                             query.from,        query.to};
  if (report.dimensions.empty()) report.dimensions = {"area", "service"};
  ASSIGN_OR_RETURN(Tallied tallied, TallyReferrals(db, query.area_prefix, range, report.dimensions,
                                                   cell_key_secret));
  report.as_of = tallied.newest_change;
  if (report.as_of.empty()) {
    ASSIGN_OR_RETURN(report.as_of, AsOfWithoutReferrals(db, clock));
  }
  KeyedCount total;
  for (const auto& [values, t] : tallied.tallies) {
    total.Add(t.all);
    report.groups.push_back(query.exact ? ExactGroup(values, t) : PublishedGroup(values, t));
  }
  report.total = query.exact ? std::optional<int64_t>(total.n) : PublishCount(total);
  return report;
}

}  // namespace onecard::server
