// The officials' reports at the server's command line: counts (and counts --flows), conflicts,
// referrals stats.

#include <cmath>
#include <sstream>

#include "cli_console.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/stamp.h"
#include "onecard/server/report_store.h"
#include "report_json.h"
#include "report_text.h"

namespace onecard::server {
namespace {

// A count as printed: a suppressed small cell is "<5".
std::string CountText(std::optional<int64_t> count) {
  return count ? std::to_string(*count) : std::string("<5");
}

// The area prefix with the name of the area it stands for, when known ("32 江苏省").
std::string AreaPrefixLabel(const std::string& prefix) {
  const std::string code = prefix.size() == 2   ? prefix + "0000"
                           : prefix.size() == 4 ? prefix + "00"
                                                : prefix;
  auto name = AreaName(code);
  return name ? prefix + " " + *name : prefix;
}

std::string CountsText(const CountsReport& r) {
  std::ostringstream text;
  const std::string area = AreaPrefixLabel(r.area);
  text << (r.moved_out ? Tr("户籍在 ", "hukou in ") + area + Tr("、已迁出的儿童", ", moved out")
                       : Tr("现居住在 ", "living in ") + area + Tr(" 的儿童", ""))
       << Tr("（截至 ", " (as of ") << r.as_of << Tr("）", ")") << "\n";
  text << Tr("合计：", "total: ") << CountText(r.total) << "\n";
  for (const CountsCell& cell : r.groups) {
    std::string line;
    for (size_t i = 0; i < r.dimensions.size() && i < cell.values.size(); ++i) {
      line += r.dimensions[i] + "=" + cell.values[i] + " ";
    }
    text << "  " << line << CountText(cell.count) << "\n";
  }
  return text.str();
}

std::string FlowsText(const FlowsReport& r) {
  std::ostringstream text;
  text << Tr("迁入或迁出 ", "moves into or out of ") << AreaPrefixLabel(r.area) << Tr("，", ", ")
       << r.from << Tr(" 至 ", " to ") << r.to << Tr("（截至 ", " (as of ") << r.as_of
       << Tr("）", ")") << "\n";
  text << Tr("迁移人数：", "persons who moved: ") << CountText(r.total)
       << Tr("，迁出：", ", moved out: ") << CountText(r.moved_out)
       << Tr("，迁入：", ", moved in: ") << CountText(r.moved_in) << "\n";
  for (const FlowsCell& cell : r.groups) {
    text << "  " << cell.month << "  " << cell.from << " -> " << cell.to << "  ";
    if (r.hukou_digits > 0) text << Tr("户籍地 ", "hukou ") << cell.hukou << "  ";
    text << CountText(cell.count) << "\n";
  }
  return text.str();
}

// counts --flows: the moves into and out of the area in the period (docs/flows.md).
Result<cli::Reply> Flows(Console& console) {
  if (console.args().On("--moved-out")) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--flows 已包含迁出和迁入，不能与 --moved-out 同用",
                     "--flows counts moves out and in already; it does not take --moved-out"));
  }
  FlowsQuery q;
  q.area_prefix = console.Flag("--area");
  q.from = console.Flag("--from");
  q.to = console.Flag("--to");
  q.exact = console.args().On("--exact");
  q.requested_by = Console::OsUser();  // recorded when exact
  RETURN_IF_ERROR(ParseFlowLevels(console.Flag("--by"), q));
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(FlowsReport r, store->Flows(q));
  return cli::Reply::Both(FlowsText(r), ToJson(r).dump());
}

Result<cli::Reply> Counts(Console& console) {
  if (console.args().On("--flows")) return Flows(console);
  if (!console.Flag("--from").empty() || !console.Flag("--to").empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--from 和 --to 只用于 --flows", "--from and --to go with --flows only"));
  }
  CountsQuery q;
  q.area_prefix = console.Flag("--area");
  q.moved_out = console.args().On("--moved-out");
  q.exact = console.args().On("--exact");
  q.requested_by = Console::OsUser();  // recorded when exact
  if (!console.Flag("--by").empty()) {
    ASSIGN_OR_RETURN(q.by, ParseDimensions(console.Flag("--by")));
  }
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(CountsReport r, store->Counts(q));
  return cli::Reply::Both(CountsText(r), ToJson(r).dump());
}

// One conflicting value as a person reads it: the value, its event id (TERMINAL:SEQ) and time.
std::string ConflictValueText(const FieldValue& v) {
  return v.value.dump() + " (" + v.stamp.terminal_id + ":" + std::to_string(v.stamp.seq) + ", " +
         StampTimeIso8601(v.stamp) + ")";
}

std::string ConflictsText(const ConflictsReport& report) {
  std::ostringstream text;
  for (const ConflictedChild& child : report.children) {
    text << child.child_id << "\t" << (child.name ? RecordValueText(*child.name) : kUnknownText)
         << "\t" << child.residence_area << "\n";
    if (child.unreadable) {
      text << "  " << Tr("（存储的记录无法读取）", "(the stored record cannot be read)") << "\n";
    }
    for (const FieldConflict& c : child.conflicts) {
      if (c.values.empty()) continue;
      text << "  " << c.field << Tr("：采用 ", ": showing ") << ConflictValueText(c.values[0]);
      for (size_t i = 1; i < c.values.size(); ++i)
        text << Tr("；另有 ", "; also ") << ConflictValueText(c.values[i]);
      text << "\n";
    }
  }
  text << Tr("有未解决冲突的儿童：", "children with open conflicts: ") << report.children.size()
       << "\n";
  return text.str();
}

Result<cli::Reply> Conflicts(Console& console) {
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(ConflictsReport report, store->Conflicts(console.Flag("--area")));
  return cli::Reply::Both(ConflictsText(report), ToJson(report).dump());
}

// A share as a whole percentage ("83%"), "-" when there is none (a suppressed cell).
std::string ShareText(std::optional<double> share) {
  return share ? std::to_string(static_cast<int>(std::lround(*share * 100))) + "%"
               : std::string("-");
}

std::string ReferralStatsText(const ReferralStatsReport& r) {
  std::ostringstream text;
  text << Tr("转介结果：区划 ", "referral outcomes: area ") << r.area;
  if (!r.from.empty() || !r.to.empty()) {
    text << Tr("，创建于 ", ", created ") << (r.from.empty() ? "…" : r.from) << " – "
         << (r.to.empty() ? "…" : r.to);
  }
  text << Tr("（截至 ", " (as of ") << r.as_of << Tr("）", ")") << "\n";
  text << Tr("转介合计：", "referrals in all: ") << CountText(r.total) << "\n";
  for (const ReferralStatsGroup& g : r.groups) {
    text << " ";
    for (size_t i = 0; i < r.dimensions.size() && i < g.values.size(); ++i) {
      text << " " << r.dimensions[i] << "=" << g.values[i];
    }
    text << "  " << Tr("转介 ", "referrals ") << CountText(g.count) << Tr("，完成 ", ", completed ")
         << ShareText(g.completed_share) << Tr("，拒绝 ", ", declined ")
         << ShareText(g.declined_share) << Tr("（其中转介不当 ", " (as inappropriate ")
         << ShareText(g.declined_inappropriate_share)
         << Tr("），未联系上关闭 ", "), closed unreached ") << ShareText(g.closed_unreached_share)
         << "\n";
  }
  return text.str();
}

Result<cli::Reply> ReferralStats(Console& console) {
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ReferralStatsQuery q{console.Flag("--area"), console.args().On("--exact"), Console::OsUser()};
  ASSIGN_OR_RETURN(q.by, ParseReferralDimensions(console.Flag("--by")));
  q.from = console.Flag("--from");
  q.to = console.Flag("--to");
  ASSIGN_OR_RETURN(ReferralStatsReport r, store->ReferralStats(q));
  return cli::Reply::Both(ReferralStatsText(r), ToJson(r).dump());
}

// --exact of every report an official may also ask without it.
cli::Arg ExactSwitch() {
  return cli::Switch("--exact",
                     "显示未经扰动的真实数字（仅限服务器上的管理员；每次查询都记入审计）",
                     "true figures, unperturbed (administrators at the server only; each query "
                     "is audited)");
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
         cli::Switch("--flows", "统计期间内迁入或迁出该地区的儿童（按迁出地、迁入地和月份）",
                     "children who moved into or out of the area in a period (by from-area, "
                     "to-area and month)"),
         cli::Optional("--from", "--flows 的起始日期 YYYY-MM-DD（含）",
                       "--flows: first day YYYY-MM-DD (included)"),
         cli::Optional("--to", "--flows 的截止日期 YYYY-MM-DD（含）",
                       "--flows: last day YYYY-MM-DD (included)"),
         ExactSwitch()}},
       Counts,
       Audited::kWhenExact},
      {{{"conflicts"},
        "列出有未解决冲突的儿童",
        "list children with open conflicts",
        {cli::Optional("--area", "行政区划代码前缀（现居住地或户籍地）",
                       "area code prefix (residence or hukou)")}},
       Conflicts,
       Audited::kYes},
      {{{"referrals", "stats"},
        "统计转介完成、拒绝（转介不当）和未联系上关闭的比例",
        "shares of referrals completed, declined (as inappropriate) and closed unreached",
        {cli::Required("--area", "转介发起站点所在地区的代码前缀",
                       "area code prefix of the referring sites"),
         cli::Optional("--by", "area,service,sex,period（默认 area,service）",
                       "area,service,sex,period (default area,service)"),
         cli::Optional("--from", "创建日期起（含），YYYY-MM-DD", "created on or after, YYYY-MM-DD"),
         cli::Optional("--to", "创建日期止（含），YYYY-MM-DD", "created on or before, YYYY-MM-DD"),
         ExactSwitch()}},
       ReferralStats,
       Audited::kWhenExact},
  };
}

}  // namespace onecard::server
