#include "counts.h"

#include <algorithm>
#include <map>

#include "cell_key.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/number_text.h"
#include "onecard/protocol/timestamp.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A dimension as ParseDimensions accepts it: a base name, and for an area an optional ":2|4|6".
bool IsDimension(const std::string& d) {
  std::string base = d.substr(0, d.find(':'));
  bool ok = base == "category" || base == "sex" || base == "age_band" || base == "school_status" ||
            base == "hukou_area" || base == "residence_area";
  if (ok && d.find(':') != std::string::npos) {
    std::string len = d.substr(d.find(':') + 1);
    ok = (base == "hukou_area" || base == "residence_area") &&
         (len == "2" || len == "4" || len == "6");
  }
  return ok;
}

// The digits of an area dimension that form its cells: N of "hukou_area:N", else 6.
size_t AreaDigits(const std::string& d) {
  size_t colon = d.find(':');
  return colon == std::string::npos
             ? 6
             : static_cast<size_t>(ParseUint64(d.substr(colon + 1)).value_or(6));
}

}  // namespace

std::string AgeBand(int years) {
  if (years < 0) return "unknown";
  if (years <= 2) return "0-2";
  if (years <= 5) return "3-5";
  if (years <= 11) return "6-11";
  if (years <= 14) return "12-14";
  if (years <= 17) return "15-17";
  return "18+";
}

Result<std::vector<std::string>> ParseDimensions(const std::string& text) {
  std::vector<std::string> dims;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    size_t comma = text.find(',', start);
    std::string d =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!IsDimension(d)) {
      return Status(ErrorCode::kInvalidArgument,
                    Tr("--by 的维度无效：" + d +
                           "（可用 "
                           "category、sex、age_band、school_status、hukou_area[:2|4|6]、residence_"
                           "area[:2|4|6]）",
                       "unknown --by dimension: " + d +
                           " (use category, sex, age_band, school_status, hukou_area[:2|4|6], "
                           "residence_area[:2|4|6])"));
    }
    dims.push_back(d);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return dims;
}

namespace {

// The dimensions of `by`, each once, in their first place (a repeated one adds nothing).
std::vector<std::string> DistinctDimensions(const std::vector<std::string>& by) {
  std::vector<std::string> distinct;
  for (const std::string& d : by) {
    if (std::find(distinct.begin(), distinct.end(), d) == distinct.end()) distinct.push_back(d);
  }
  return distinct;
}

// The query's area prefix and dimensions, and the day ages are counted on (query.today, else
// today in China). kInvalidArgument names a bad prefix, dimension or date.
Result<CivilDate> CheckCountsQuery(const CountsQuery& query, const platform::Clock& clock) {
  if (!AllDigits(query.area_prefix) || query.area_prefix.size() > 6) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--area 必须是 1 到 6 位数字的行政区划代码前缀：" + query.area_prefix,
                     "--area must be an area-code prefix of 1 to 6 digits: " + query.area_prefix));
  }
  for (const std::string& d : query.by) {
    if (!IsDimension(d)) {
      return Status(ErrorCode::kInvalidArgument,
                    Tr("统计维度无效：" + d, "unknown counts dimension: " + d));
    }
  }
  const size_t asked = DistinctDimensions(query.by).size();
  if (!query.exact && asked > kMaxCountsDimensions) {
    const std::string max = std::to_string(kMaxCountsDimensions);
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--by 最多组合 " + max + " 个维度（--exact 除外），收到 " +
                         std::to_string(asked) + " 个",
                     "--by combines at most " + max + " dimensions (except with --exact); got " +
                         std::to_string(asked)));
  }
  if (query.today.empty()) return CivilDate::TodayInChina(clock);
  Result<CivilDate> given = CivilDate::Parse(query.today);
  if (!given.ok()) return Status(ErrorCode::kInvalidArgument, "today: " + given.status().message());
  return *given;
}

// The cell of one stored row (columns as CountRows selects them) under `dimensions`.
std::vector<std::string> CellKey(schema::Statement& st, const std::vector<std::string>& dimensions,
                                 const CivilDate& today) {
  std::vector<std::string> key;
  for (const auto& d : dimensions) {
    std::string base = d.substr(0, d.find(':'));
    if (base == "category")
      key.push_back(StoredCategory(st.ColumnText(0)));
    else if (base == "sex")
      key.push_back(StoredSex(st.ColumnText(1)));
    else if (base == "age_band")
      key.push_back(StoredAgeBand(st.ColumnText(2), today));
    else if (base == "school_status")
      key.push_back(StoredSchoolStatus(st.ColumnText(3)));
    else if (base == "hukou_area")
      key.push_back(StoredAreaPrefix(st.ColumnText(4), AreaDigits(d)));
    else if (base == "residence_area")
      key.push_back(StoredAreaPrefix(st.ColumnText(5), AreaDigits(d)));
  }
  return key;
}

// The cells of a query as counted, each with its cell key (cell_key.h), and the total.
struct CountCells {
  std::map<std::vector<std::string>, KeyedCount> cells;
  KeyedCount total;
};

// Counts the persons in the query's area into cells of `dimensions`. Counts are of persons
// (identity_store.h): of a person's several records only the current one (the most recent) counts,
// with its residence and hukou. Every column may hold anything a terminal once stored
// (stored_values.h): a state that is not JSON yields no school status (json_extract would fail the
// whole statement on it).
Result<CountCells> CountRows(schema::Database& db, const CountsQuery& query,
                             const std::vector<std::string>& dimensions, const CivilDate& today) {
  std::string where = query.moved_out
                          ? "substr(hukou_area, 1, ?1) = ?2 AND substr(residence_area, 1, ?1) <> ?2"
                          : "substr(residence_area, 1, ?1) = ?2";
  where += " AND child_id NOT IN (SELECT child_id FROM identity_persons WHERE current = 0)";
  ASSIGN_OR_RETURN(schema::Statement st,
                   db.Prepare("SELECT category, sex, birth_date, CASE WHEN json_valid(state) THEN "
                              "json_extract(state, '$.fields.school.v.status') END, "
                              "hukou_area, residence_area, count(*), sum(record_key) FROM "
                              "children WHERE " +
                              where + " GROUP BY 1, 2, 3, 4, 5, 6"));
  st.Bind(1, static_cast<int64_t>(query.area_prefix.size())).Bind(2, query.area_prefix);
  CountCells counted;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return counted;
    // The key sum of the rows (NULL for a row not keyed yet: 0), reduced modulo 2^32.
    const KeyedCount rows{st.ColumnInt(6), static_cast<uint32_t>(st.ColumnInt(7))};
    counted.cells[CellKey(st, dimensions, today)].Add(rows);
    counted.total.Add(rows);
  }
}

}  // namespace

Result<CountsReport> ComputeCounts(schema::Database& db, const CountsQuery& query,
                                   const platform::Clock& clock) {
  ASSIGN_OR_RETURN(CivilDate today, CheckCountsQuery(query, clock));
  CountsReport report;
  report.area = query.area_prefix;
  report.as_of = UtcNowIso8601(clock);
  report.moved_out = query.moved_out;
  report.dimensions = DistinctDimensions(query.by);
  ASSIGN_OR_RETURN(CountCells counted, CountRows(db, query, report.dimensions, today));
  // Exact: the true counts. Otherwise what cell key perturbation publishes of each (n, key sum).
  const auto shown = [&query](const KeyedCount& cell) {
    return query.exact ? std::optional<int64_t>(cell.n) : PublishCount(cell);
  };
  report.total = shown(counted.total);
  if (!report.dimensions.empty()) {
    for (const auto& [values, cell] : counted.cells) report.groups.push_back({values, shown(cell)});
  }
  return report;
}

}  // namespace onecard::server
