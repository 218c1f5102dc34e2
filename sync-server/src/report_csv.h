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

// Header: "代码", "名称", "截至".
CsvRows AreasCsv(const std::vector<std::pair<std::string, std::string>>& areas,
                 const std::string& as_of);

}  // namespace onecard::server
