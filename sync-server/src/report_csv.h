// The CSV form of the officials' reports (docs/api.md, "CSV"): tables for a spreadsheet, with
// Chinese column headers and labels (流动儿童, not "migrant"), area codes beside their names, a
// suppressed count written "<5", a "合计" (total) row and the "as of" time in a last column. The
// same numbers as the JSON form (report_json.h). The server's HTTP layer adds the UTF-8 BOM
// (net/http csv.h). Pure, thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "onecard/server/reports.h"

namespace onecard::server {

using CsvRows = std::vector<std::vector<std::string>>;

// Header: one column per dimension (two for an area dimension: its code and its name), then
// "人数", "截至". One row per cell, then the total.
CsvRows CountsCsv(const CountsReport& report);

// Header: one column per dimension ("地区代码" and "地区" for the area, "服务", "性别", "月份"),
// then "转介数", "完成比例", "拒绝比例", "因转介不当拒绝比例", "未联系上关闭比例", "截至". One
// row per group, then the total ("合计"). Shares as percentages with one decimal ("83.3%"),
// empty when suppressed.
CsvRows ReferralStatsCsv(const ReferralStatsReport& report);

// Header: "迁出地代码", "迁出地", "迁入地代码", "迁入地", "月份", "人数", "截至". One row per
// cell, then "迁出合计", "迁入合计" and "合计" rows.
CsvRows FlowsCsv(const FlowsReport& report);

// Header: "地区代码", "地区", "类别", "已登记人数", "估计人数", "估计来源", "估计年份",
// "覆盖率", "截至". Coverage as a percentage with one decimal, empty when suppressed.
CsvRows CoverageCsv(const CoverageReport& report);

// Header: "代码", "名称", "截至".
CsvRows AreasCsv(const std::vector<std::pair<std::string, std::string>>& areas,
                 const std::string& as_of);

}  // namespace onecard::server
