// The officials' reports at the server's command line: counts, conflicts, referrals stats.

#include <cmath>
#include <sstream>

#include "cli_console.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/server/report_store.h"
#include "report_text.h"

namespace onecard::server {
namespace {

using nlohmann::ordered_json;

// A count as printed: a suppressed small cell (null in the JSON) is "<5".
std::string CountText(const ordered_json& count) {
  return count.is_null() ? std::string("<5") : ValueText(count);
}

// The area prefix with the name of the area it stands for, when known ("32 江苏省").
std::string AreaPrefixLabel(const std::string& prefix) {
  const std::string code = prefix.size() == 2   ? prefix + "0000"
                           : prefix.size() == 4 ? prefix + "00"
                                                : prefix;
  auto name = AreaName(code);
  return name ? prefix + " " + *name : prefix;
}

std::string CountsText(const ordered_json& r, const CountsQuery& q) {
  std::ostringstream text;
  const std::string area = AreaPrefixLabel(q.area_prefix);
  text << (q.moved_out ? Tr("户籍在 ", "hukou in ") + area + Tr("、已迁出的儿童", ", moved out")
                       : Tr("现居住在 ", "living in ") + area + Tr(" 的儿童", ""))
       << Tr("（截至 ", " (as of ") << MemberText(r, "as_of") << Tr("）", ")") << "\n";
  text << Tr("合计：", "total: ") << CountText(MemberOrNull(r, "total")) << "\n";
  for (const auto& g : MemberOrNull(r, "groups")) {
    if (!g.is_object()) continue;
    std::string line;
    for (const auto& [k, v] : g.items()) {
      if (k == "count" || k == "suppressed") continue;
      line += k + "=" + ValueText(v) + " ";
    }
    text << "  " << line << CountText(MemberOrNull(g, "count")) << "\n";
  }
  return text.str();
}

Result<cli::Reply> Counts(Console& console) {
  CountsQuery q;
  q.area_prefix = console.Flag("--area");
  q.moved_out = console.args().On("--moved-out");
  q.exact = console.args().On("--exact");
  if (!console.Flag("--by").empty()) {
    ASSIGN_OR_RETURN(q.by, ParseDimensions(console.Flag("--by")));
  }
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(ordered_json r, store->Counts(q));
  return cli::Reply::Both(CountsText(r, q), r.dump());
}

// One conflicting value as a person reads it: the value, its event id (TERMINAL:SEQ) and time.
std::string ConflictValueText(const nlohmann::json& v) {
  const nlohmann::json& stamp = MemberOrNull(v, "stamp");
  std::string id =
      stamp.is_array() && stamp.size() == 3 ? ValueText(stamp[1]) + ":" + stamp[2].dump() : "?";
  return MemberOrNull(v, "value").dump() + " (" + id + ", " + MemberText(v, "at") + ")";
}

std::string ConflictsText(const nlohmann::json& result) {
  std::ostringstream text;
  const nlohmann::json& children = MemberOrNull(result, "children");
  for (const auto& child : children) {
    text << MemberText(child, "child_id") << "\t" << MemberText(child, "name") << "\t"
         << MemberText(child, "residence_area") << "\n";
    if (MemberOrNull(child, "unreadable") == true) {
      text << "  " << Tr("（存储的记录无法读取）", "(the stored record cannot be read)") << "\n";
    }
    for (const auto& c : MemberOrNull(child, "conflicts")) {
      text << "  " << MemberText(c, "field") << Tr("：采用 ", ": showing ")
           << ConflictValueText(MemberOrNull(c, "winner"));
      for (const auto& other : MemberOrNull(c, "others"))
        text << Tr("；另有 ", "; also ") << ConflictValueText(other);
      text << "\n";
    }
  }
  text << Tr("有未解决冲突的儿童：", "children with open conflicts: ") << children.size() << "\n";
  return text.str();
}

Result<cli::Reply> Conflicts(Console& console) {
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(nlohmann::json result, store->Conflicts(console.Flag("--area")));
  return cli::Reply::Both(ConflictsText(result), result.dump());
}

// A share as a whole percentage ("83%"), "-" when there is none (a suppressed cell).
std::string ShareText(const ordered_json& share) {
  return share.is_number()
             ? std::to_string(static_cast<int>(std::lround(share.get<double>() * 100))) + "%"
             : std::string("-");
}

Result<cli::Reply> ReferralStats(Console& console) {
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ReferralStatsQuery q{console.Flag("--area"), console.args().On("--exact")};
  ASSIGN_OR_RETURN(ordered_json r, store->ReferralStats(q));
  std::ostringstream text;
  text << Tr("转介结果：区划 ", "referral outcomes: area ") << q.area_prefix
       << Tr("（截至 ", " (as of ") << MemberText(r, "as_of") << Tr("）", ")") << "\n";
  text << Tr("转介合计：", "referrals in all: ") << CountText(MemberOrNull(r, "total")) << "\n";
  for (const auto& g : MemberOrNull(r, "groups")) {
    text << "  " << MemberText(g, "area") << " " << MemberText(g, "service") << "  "
         << Tr("转介 ", "referrals ") << CountText(MemberOrNull(g, "count"))
         << Tr("，完成 ", ", completed ") << ShareText(MemberOrNull(g, "completed_share"))
         << Tr("，拒绝 ", ", declined ") << ShareText(MemberOrNull(g, "declined_share")) << "\n";
  }
  return cli::Reply::Both(text.str(), r.dump());
}

}  // namespace

std::vector<ServerCommand> ReportCommands() {
  return {
      {{{"counts"},
        "统计儿童人数",
        "count children",
        {cli::Required("--area", "行政区划代码前缀（现居住地；--moved-out 时为户籍地）",
                       "area code prefix (residence; hukou with --moved-out)"),
         cli::Switch("--moved-out", "户籍在该地区、现居住在别处的儿童",
                     "children whose hukou is in the area and who live elsewhere"),
         cli::Optional("--by", "DIM,..."),
         cli::Switch("--exact", "不隐藏小数字（仅限服务器上的管理员）",
                     "do not suppress small cells (administrators at the server only)")}},
       Counts},
      {{{"conflicts"},
        "列出有未解决冲突的儿童",
        "list children with open conflicts",
        {cli::Optional("--area", "行政区划代码前缀（现居住地或户籍地）",
                       "area code prefix (residence or hukou)")}},
       Conflicts},
      {{{"referrals", "stats"},
        "按区划和服务统计转介完成率和拒绝率",
        "share of referrals completed and declined, per area and service",
        {cli::Required("--area", "转介发起站点所在地区的代码前缀",
                       "area code prefix of the referring sites"),
         cli::Switch("--exact", "不隐藏小数字", "do not suppress small cells")}},
       ReferralStats},
  };
}

}  // namespace onecard::server
