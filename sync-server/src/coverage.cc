#include "coverage.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "area_prefix_check.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"

namespace onecard::server {
namespace {

Status Invalid(const std::string& zh, const std::string& en) {
  return Status(ErrorCode::kInvalidArgument, Tr(zh, en));
}

// The area's shortest prefix: trailing "00" pairs of a 6-digit code dropped.
std::string ShortestPrefix(std::string area) {
  while (area.size() > 2 && area.ends_with("00")) area.resize(area.size() - 2);
  return area;
}

// The published count of `category` ("all": the total) in a counts report by category.
std::optional<int64_t> Registered(const CountsReport& counts, const std::string& category) {
  if (category == "all") return counts.total;
  for (const CountsCell& cell : counts.groups) {
    if (cell.values.size() == 1 && cell.values[0] == category) return cell.count;
  }
  return 0;  // no such child: an empty cell, published as 0
}

}  // namespace

Status CheckCoverageEstimate(CoverageEstimate& e) {
  const size_t n = e.area.size();
  if ((n != 2 && n != 4 && n != 6) || !CheckAreaPrefix(e.area, "--area").ok() ||
      !AreaName(e.area + std::string(6 - n, '0'))) {
    return Invalid("--area 应为已知地区的 2、4 或 6 位代码：" + e.area,
                   "--area must be the 2, 4 or 6 digits of a known area code: " + e.area);
  }
  e.area = ShortestPrefix(e.area);
  if (e.category != "migrant" && e.category != "left_behind" && e.category != "all") {
    return Invalid("--category 应为 migrant、left_behind 或 all：" + e.category,
                   "--category must be migrant, left_behind or all: " + e.category);
  }
  if (e.estimate < 1) {
    return Invalid("--estimate 至少为 1：" + std::to_string(e.estimate),
                   "--estimate must be at least 1: " + std::to_string(e.estimate));
  }
  if (e.source.empty()) return Invalid("--source 不能为空", "--source must not be empty");
  if (e.year < 1949 || e.year > 2100) {
    return Invalid("--year 应在 1949 到 2100 之间：" + std::to_string(e.year),
                   "--year must be from 1949 to 2100: " + std::to_string(e.year));
  }
  return Status::Ok();
}

Result<CoverageReport> ComputeCoverage(ReportStore& reports, const std::string& area_prefix,
                                       const platform::Clock& clock) {
  RETURN_IF_ERROR(CheckAreaPrefix(area_prefix, "--area"));
  ASSIGN_OR_RETURN(std::vector<CoverageEstimate> estimates, reports.CoverageEstimates(area_prefix));
  CoverageReport report{area_prefix, "", {}};
  std::map<std::string, CountsReport> counts;  // by area: one counts question each
  for (const CoverageEstimate& e : estimates) {
    if (!counts.contains(e.area)) {
      CountsQuery q;
      q.area_prefix = e.area;
      q.by = {"category"};
      ASSIGN_OR_RETURN(counts[e.area], reports.Counts(q));
      report.as_of = std::max(report.as_of, counts[e.area].as_of);
    }
    CoverageRow row{e.area,      e.category, Registered(counts[e.area], e.category),
                    e.estimate,  e.source,   e.year,
                    std::nullopt};
    if (row.registered) {
      row.coverage = std::round(static_cast<double>(*row.registered) * 1000 /
                                static_cast<double>(e.estimate)) /
                     1000;
    }
    report.rows.push_back(std::move(row));
  }
  if (report.as_of.empty()) report.as_of = UtcNowIso8601(clock);
  return report;
}

}  // namespace onecard::server
