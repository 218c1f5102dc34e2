// Coverage at the server's command line (PRODUCT.md section 11, coverage.h): an administrator
// sets the estimate of the children an area should have; the report sets the children registered
// there against it.

#include <cmath>
#include <sstream>

#include "cli_console.h"
#include "coverage.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/number_text.h"
#include "report_json.h"

namespace onecard::server {
namespace {

// --estimate and --year as numbers; kInvalidArgument naming the flag otherwise.
Result<int64_t> WholeNumberFlag(Console& console, const std::string& flag) {
  std::optional<uint64_t> n = ParseUint64(console.Flag(flag));
  if (!n || *n > (uint64_t{1} << 40)) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr(flag + " 应为整数：" + console.Flag(flag),
                     flag + " must be a whole number: " + console.Flag(flag)));
  }
  return static_cast<int64_t>(*n);
}

Result<cli::Reply> CoverageSet(Console& console) {
  CoverageEstimate e;
  e.area = console.Flag("--area");
  e.category = console.Flag("--category");
  ASSIGN_OR_RETURN(e.estimate, WholeNumberFlag(console, "--estimate"));
  e.source = console.Flag("--source");
  ASSIGN_OR_RETURN(int64_t year, WholeNumberFlag(console, "--year"));
  e.year = static_cast<int>(year);
  e.set_by = Console::OsUser();
  RETURN_IF_ERROR(CheckCoverageEstimate(e));  // before the store is opened
  ASSIGN_OR_RETURN(AdminStore * store, console.Admin());
  RETURN_IF_ERROR(store->SetCoverageEstimate(e));
  return cli::Reply::Both(
      Tr("已记录 ", "estimate set: ") + e.area + " " + e.category + " " +
          std::to_string(e.estimate) + "\n",
      nlohmann::ordered_json{{"area", e.area}, {"category", e.category}}.dump());
}

Result<cli::Reply> CoverageList(Console& console) {
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(std::vector<CoverageEstimate> estimates,
                   store->CoverageEstimates(console.Flag("--area")));
  std::ostringstream text;
  for (const CoverageEstimate& e : estimates) {
    text << e.area << "\t" << e.category << "\t" << e.estimate << "\t" << e.source << "\t" << e.year
         << "\t" << e.set_by << "\t" << e.set_at << "\n";
  }
  return cli::Reply::Both(text.str(), ToJson(estimates).dump());
}

std::string CoverageText(const CoverageReport& r) {
  std::ostringstream text;
  text << Tr("覆盖率：区划 ", "coverage: area ") << r.area << Tr("（截至 ", " (as of ") << r.as_of
       << Tr("）", ")") << "\n";
  for (const CoverageRow& row : r.rows) {
    text << "  " << row.area << " " << row.category << Tr("  已登记 ", "  registered ")
         << (row.registered ? std::to_string(*row.registered) : std::string("<5"))
         << Tr("，估计 ", ", estimate ") << row.estimate << " (" << row.source << ", " << row.year
         << ")" << Tr("，覆盖率 ", ", coverage ")
         << (row.coverage ? std::to_string(std::lround(*row.coverage * 100)) + "%"
                          : std::string("-"))
         << "\n";
  }
  return text.str();
}

Result<cli::Reply> CoverageReportCommand(Console& console) {
  ASSIGN_OR_RETURN(ReportStore * store, console.Reports());
  ASSIGN_OR_RETURN(CoverageReport r,
                   ComputeCoverage(*store, console.Flag("--area"), console.clock()));
  return cli::Reply::Both(CoverageText(r), ToJson(r).dump());
}

}  // namespace

std::vector<ServerCommand> CoverageCommands() {
  return {
      {{{"coverage", "set"},
        "记录某地区应有儿童数的估计（人口普查或抽样调查）",
        "records an estimate of the children an area should have (census or survey)",
        {cli::Required("--area", "地区代码（2、4 或 6 位）", "area code (2, 4 or 6 digits)"),
         cli::Required("--category", "migrant、left_behind 或 all", "migrant, left_behind or all"),
         cli::Required("--estimate", "估计人数", "estimated number of children"),
         cli::Required("--source", "估计来源", "where the estimate comes from"),
         cli::Required("--year", "估计年份", "the year of the estimate")}},
       CoverageSet,
       Audited::kYes},
      {{{"coverage", "list"},
        "列出覆盖率估计",
        "lists the coverage estimates",
        {cli::Optional("--area", "地区代码前缀", "area code prefix")}},
       CoverageList},
      {{{"coverage", "report"},
        "已登记儿童数与估计数之比（按地区和类别）",
        "children registered against the estimate, per area and category",
        {cli::Required("--area", "地区代码前缀", "area code prefix")}},
       CoverageReportCommand},
  };
}

}  // namespace onecard::server
