#include "flows.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "area_prefix_check.h"
#include "cell_key.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

Status BadLevel(const std::string& level) {
  return Status(ErrorCode::kInvalidArgument,
                Tr("--flows 的 --by 无效：" + level +
                       "（可用 from_area:N、to_area:N、residence_area:N 或 hukou_area:N，N 为 2、4 "
                       "或 6）",
                   "unknown --by for --flows: " + level +
                       " (use from_area:N, to_area:N, residence_area:N or hukou_area:N with N 2, "
                       "4 or 6)"));
}

// A period bound: a real YYYY-MM-DD; kInvalidArgument naming `flag` otherwise.
Result<CivilDate> PeriodDate(const std::string& text, const std::string& flag) {
  Result<CivilDate> date = CivilDate::Parse(text);
  if (date.ok()) return date;
  return Status(ErrorCode::kInvalidArgument, flag + ": " + date.status().message());
}

Status CheckFlowsQuery(const FlowsQuery& query) {
  RETURN_IF_ERROR(CheckAreaPrefix(query.area_prefix, "--area"));
  auto is_level = [](size_t digits) { return digits == 2 || digits == 4 || digits == 6; };
  for (size_t digits : {query.from_digits, query.to_digits}) {
    if (!is_level(digits)) return BadLevel(std::to_string(digits));
  }
  if (query.hukou_digits != 0 && !is_level(query.hukou_digits)) {  // 0: not grouped by hukou
    return BadLevel("hukou_area:" + std::to_string(query.hukou_digits));
  }
  ASSIGN_OR_RETURN(CivilDate from, PeriodDate(query.from, "--from"));
  ASSIGN_OR_RETURN(CivilDate to, PeriodDate(query.to, "--to"));
  if (to < from) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--to（" + query.to + "）早于 --from（" + query.from + "）",
                     "--to (" + query.to + ") is before --from (" + query.from + ")"));
  }
  return Status::Ok();
}

// The persons counted in one cell, and its count and key: each person once, with the key of the
// first of its moves that falls in the cell.
struct PersonCell {
  std::set<std::string> persons;
  KeyedCount counted;

  void Add(const std::string& person, uint32_t move_key) {
    if (persons.insert(person).second) counted.Add({1, move_key});
  }
};

struct FlowCells {
  // By (from, to, hukou, month); hukou "" when the query does not group by it.
  std::map<std::tuple<std::string, std::string, std::string, std::string>, PersonCell> cells;
  PersonCell total, moved_out, moved_in;
  std::string newest;  // moved_at of the newest move counted
};

// The first text above every text that starts with `prefix` (digits): "4403" -> "4404",
// "4409" -> "440:" (':' follows '9'), so that [prefix, end) is an index range.
std::string PrefixEnd(std::string prefix) {
  prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

Result<FlowCells> CountMoves(schema::Database& db, const FlowsQuery& query) {
  // In date order, so that a person's first move in a cell is the one whose key it brings. The
  // mover's hukou area is its record's as stored now (children.hukou_area): a move changes the
  // residence, not the hukou, and the moves table keeps no hukou of its own.
  ASSIGN_OR_RETURN(
      schema::Statement st,
      db.Prepare("SELECT coalesce(p.person_id, m.child_id), m.from_area, m.to_area, m.moved_on, "
                 "m.moved_at, coalesce(m.move_key, 0), c.hukou_area FROM moves m "
                 "LEFT JOIN identity_persons p ON p.child_id = m.child_id "
                 "LEFT JOIN children c ON c.child_id = m.child_id WHERE m.moved_on BETWEEN ?3 AND "
                 "?4 AND ((m.from_area >= ?1 AND m.from_area < ?2) OR (m.to_area >= ?1 AND "
                 "m.to_area < ?2)) ORDER BY m.moved_on, m.moved_at, m.terminal_id, m.seq"));
  st.Bind(1, query.area_prefix).Bind(2, PrefixEnd(query.area_prefix));
  st.Bind(3, query.from).Bind(4, query.to);
  FlowCells counted;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return counted;
    const std::string person = st.ColumnText(0), from = st.ColumnText(1), to = st.ColumnText(2);
    const uint32_t key = static_cast<uint32_t>(st.ColumnInt(5));
    const std::string month = st.ColumnText(3).substr(0, 7);
    const std::string hukou =
        query.hukou_digits > 0 ? StoredAreaPrefix(st.ColumnText(6), query.hukou_digits) : "";
    counted
        .cells[{StoredAreaPrefix(from, query.from_digits), StoredAreaPrefix(to, query.to_digits),
                hukou, month}]
        .Add(person, key);
    counted.total.Add(person, key);
    const bool out_of = from.starts_with(query.area_prefix);
    const bool into = to.starts_with(query.area_prefix);
    if (out_of && !into) counted.moved_out.Add(person, key);
    if (into && !out_of) counted.moved_in.Add(person, key);
    counted.newest = std::max(counted.newest, st.ColumnText(4));
  }
}

}  // namespace

Status ParseFlowLevels(const std::string& text, FlowsQuery& query) {
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    const std::string level =
        text.substr(start, comma == std::string::npos ? comma : comma - start);
    const size_t colon = level.find(':');
    const std::string base = level.substr(0, colon);
    const std::string digits = colon == std::string::npos ? "" : level.substr(colon + 1);
    if (digits != "2" && digits != "4" && digits != "6") return BadLevel(level);
    const size_t n = static_cast<size_t>(digits[0] - '0');
    if (base == "from_area" || base == "residence_area") query.from_digits = n;
    if (base == "to_area" || base == "residence_area") query.to_digits = n;
    if (base == "hukou_area") query.hukou_digits = n;
    if (base != "from_area" && base != "to_area" && base != "residence_area" &&
        base != "hukou_area") {
      return BadLevel(level);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return Status::Ok();
}

Result<FlowsReport> ComputeFlows(schema::Database& db, const FlowsQuery& query,
                                 const platform::Clock& clock) {
  RETURN_IF_ERROR(CheckFlowsQuery(query));
  ASSIGN_OR_RETURN(FlowCells counted, CountMoves(db, query));
  // Exact: the true counts. Otherwise what cell key perturbation publishes of each (n, key sum).
  const auto shown = [&query](const PersonCell& cell) {
    return query.exact ? std::optional<int64_t>(cell.counted.n) : PublishCount(cell.counted);
  };
  FlowsReport report{query.area_prefix,
                     query.from,
                     query.to,
                     query.from_digits,
                     query.to_digits,
                     query.hukou_digits,
                     counted.newest.empty() ? UtcNowIso8601(clock) : counted.newest,
                     shown(counted.total),
                     shown(counted.moved_out),
                     shown(counted.moved_in),
                     {}};
  for (const auto& [cell, persons] : counted.cells) {
    const auto& [from, to, hukou, month] = cell;
    report.groups.push_back({from, to, hukou, month, shown(persons)});
  }
  return report;
}

}  // namespace onecard::server
