#include "report_csv.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "onecard/protocol/area_codes.h"

namespace onecard::server {
namespace {

constexpr char kUnknownLabel[] = "不详";
constexpr char kSuppressed[] = "<5";

std::string CountCell(std::optional<int64_t> count) {
  return count ? std::to_string(*count) : std::string(kSuppressed);
}

// "hukou_area:4" -> {"hukou_area", 4}; digits 6 when no length is given.
std::pair<std::string, size_t> SplitDimension(const std::string& dimension) {
  auto colon = dimension.find(':');
  if (colon == std::string::npos) return {dimension, 6};
  return {dimension.substr(0, colon), std::stoul(dimension.substr(colon + 1))};
}

bool IsAreaDimension(const std::string& base) {
  return base == "hukou_area" || base == "residence_area";
}

std::string AreaHeader(const std::string& base, size_t digits) {
  const std::string place = base == "hukou_area" ? "户籍地" : "现居住地";
  const std::string level = digits <= 2 ? "（省）" : digits <= 4 ? "（地市）" : "（区县）";
  return place + level;
}

// The Chinese label of a dimension's value; the value itself when it has none.
std::string ValueLabel(const std::string& base, const std::string& value) {
  static const std::map<std::string, std::string> labels = {
      {"category/migrant", "流动儿童"},
      {"category/left_behind", "留守儿童"},
      {"category/other", "其他儿童"},
      {"sex/M", "男"},
      {"sex/F", "女"},
      {"school_status/enrolled", "在学"},
      {"school_status/not_enrolled", "未入学"},
      {"school_status/dropped_out", "辍学"},
      {"school_stage/preschool", "幼儿园"},
      {"school_stage/primary", "小学"},
      {"school_stage/junior", "初中"},
      {"school_stage/senior", "高中"},
      {"school_stage/vocational", "中职"},
      {"vaccination/up_to_date", "按时接种"},
      {"vaccination/overdue", "逾期未种"},
      {"card/issued", "已发卡"},
      {"card/none", "未发卡"},
      {"service/education", "教育"},
      {"service/health", "卫生健康"},
      {"service/protection", "儿童保护"},
      {"service/legal_aid", "法律援助"},
      {"service/social_assistance", "社会救助"}};
  if (value == "unknown") return kUnknownLabel;
  auto it = labels.find(base + "/" + value);
  if (it != labels.end()) return it->second;
  if (base == "age_band") return value + "岁";
  return value;
}

// The name of an area prefix (2, 4 or 6 digits) from the GB/T 2260 table, "" when unknown.
std::string AreaPrefixName(const std::string& prefix) {
  if (prefix.empty() || prefix.size() > 6) return "";
  return AreaName(prefix + std::string(6 - prefix.size(), '0')).value_or("");
}

std::string ShareCell(std::optional<double> share) {
  if (!share) return "";
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", std::round(*share * 1000) / 10);
  return text;
}

}  // namespace

CsvRows CountsCsv(const CountsReport& report) {
  std::vector<std::string> header;
  for (const std::string& dimension : report.dimensions) {
    auto [base, digits] = SplitDimension(dimension);
    if (IsAreaDimension(base)) {
      header.push_back(AreaHeader(base, digits) + "代码");
      header.push_back(AreaHeader(base, digits));
      continue;
    }
    static const std::map<std::string, std::string> names = {
        {"category", "类别"},     {"sex", "性别"},
        {"age_band", "年龄段"},   {"school_status", "在学状态"},
        {"school_stage", "学段"}, {"vaccination", "疫苗接种"},
        {"card", "一卡通"}};
    auto it = names.find(base);
    header.push_back(it != names.end() ? it->second : base);
  }
  const size_t value_columns = header.size();
  header.push_back("人数");
  header.push_back("截至");
  CsvRows rows{header};
  for (const CountsCell& cell : report.groups) {
    std::vector<std::string> row;
    for (size_t i = 0; i < report.dimensions.size() && i < cell.values.size(); ++i) {
      const std::string base = SplitDimension(report.dimensions[i]).first;
      if (IsAreaDimension(base)) {
        row.push_back(cell.values[i]);
        row.push_back(cell.values[i] == "unknown" ? kUnknownLabel : AreaPrefixName(cell.values[i]));
      } else {
        row.push_back(ValueLabel(base, cell.values[i]));
      }
    }
    row.resize(value_columns);
    row.push_back(CountCell(cell.count));
    row.push_back(report.as_of);
    rows.push_back(std::move(row));
  }
  std::vector<std::string> total(value_columns);
  if (!total.empty()) total[0] = "合计";
  total.push_back(CountCell(report.total));
  total.push_back(report.as_of);
  rows.push_back(std::move(total));
  return rows;
}

CsvRows ReferralStatsCsv(const ReferralStatsReport& report) {
  std::vector<std::string> header;
  for (const std::string& dimension : report.dimensions) {
    if (dimension == "area") {
      header.insert(header.end(), {"地区代码", "地区"});
      continue;
    }
    static const std::map<std::string, std::string> names = {
        {"service", "服务"}, {"sex", "性别"}, {"period", "月份"}};
    auto it = names.find(dimension);
    header.push_back(it != names.end() ? it->second : dimension);
  }
  const size_t value_columns = header.size();
  header.insert(header.end(), {"转介数", "完成比例", "拒绝比例", "因转介不当拒绝比例",
                               "未联系上关闭比例", "截至"});
  CsvRows rows{header};
  for (const ReferralStatsGroup& g : report.groups) {
    std::vector<std::string> row;
    for (size_t i = 0; i < report.dimensions.size() && i < g.values.size(); ++i) {
      const std::string& value = g.values[i];
      if (report.dimensions[i] == "area") {
        row.push_back(value);
        row.push_back(value == "unknown" ? kUnknownLabel : AreaPrefixName(value));
      } else {
        row.push_back(ValueLabel(report.dimensions[i], value));
      }
    }
    row.resize(value_columns);
    row.insert(row.end(), {CountCell(g.count), ShareCell(g.completed_share),
                           ShareCell(g.declined_share), ShareCell(g.declined_inappropriate_share),
                           ShareCell(g.closed_unreached_share), report.as_of});
    rows.push_back(std::move(row));
  }
  std::vector<std::string> total(value_columns);
  if (!total.empty()) total[0] = "合计";
  total.insert(total.end(), {CountCell(report.total), "", "", "", "", report.as_of});
  rows.push_back(std::move(total));
  return rows;
}

// The hukou columns only when the query grouped by hukou area (hukou_digits > 0).
CsvRows FlowsCsv(const FlowsReport& report) {
  const bool by_hukou = report.hukou_digits > 0;
  const auto name = [](const std::string& area) {
    return area == "unknown" ? std::string(kUnknownLabel) : AreaPrefixName(area);
  };
  CsvRows rows{{"迁出地代码", "迁出地", "迁入地代码", "迁入地"}};
  if (by_hukou) rows[0].insert(rows[0].end(), {"户籍地代码", "户籍地"});
  rows[0].insert(rows[0].end(), {"月份", "人数", "截至"});
  for (const FlowsCell& c : report.groups) {
    std::vector<std::string> row = {c.from, name(c.from), c.to, name(c.to)};
    if (by_hukou) row.insert(row.end(), {c.hukou, name(c.hukou)});
    row.insert(row.end(), {c.month, CountCell(c.count), report.as_of});
    rows.push_back(std::move(row));
  }
  // A figure of the period: its label in the first column, its count under 人数.
  const auto figure = [&](const char* label, std::optional<int64_t> count) {
    std::vector<std::string> row(rows[0].size() - 2);
    row[0] = label;
    row.insert(row.end(), {CountCell(count), report.as_of});
    return row;
  };
  rows.push_back(figure("迁出合计", report.moved_out));
  rows.push_back(figure("迁入合计", report.moved_in));
  rows.push_back(figure("合计", report.total));
  return rows;
}

CsvRows CoverageCsv(const CoverageReport& report) {
  static const std::map<std::string, std::string> categories = {
      {"migrant", "流动儿童"}, {"left_behind", "留守儿童"}, {"all", "全部儿童"}};
  CsvRows rows{{"地区代码", "地区", "类别", "已登记人数", "估计人数", "估计来源", "估计年份",
                "覆盖率", "截至"}};
  for (const CoverageRow& r : report.rows) {
    auto category = categories.find(r.category);
    rows.push_back({r.area, AreaPrefixName(r.area),
                    category != categories.end() ? category->second : r.category,
                    CountCell(r.registered), std::to_string(r.estimate), r.source,
                    std::to_string(r.year), ShareCell(r.coverage), report.as_of});
  }
  return rows;
}

CsvRows AreasCsv(const std::vector<std::pair<std::string, std::string>>& areas,
                 const std::string& as_of) {
  CsvRows rows{{"代码", "名称", "截至"}};
  for (const auto& [code, name] : areas) rows.push_back({code, name, as_of});
  return rows;
}

}  // namespace onecard::server
