#include "counts.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "cell_key.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/number_text.h"
#include "onecard/protocol/timestamp.h"
#include "stats_block.h"
#include "stats_cube.h"
#include "stats_profile.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A dimension as ParseDimensions accepts it: an attribute (stats_profile.h), or an area with an
// optional ":2|4|6".
bool IsDimension(const std::string& d) {
  std::string base = d.substr(0, d.find(':'));
  if (base != "hukou_area" && base != "residence_area") {
    return d.find(':') == std::string::npos && StatsAttributeNamed(d).has_value();
  }
  if (d.find(':') == std::string::npos) return true;
  std::string len = d.substr(d.find(':') + 1);
  return len == "2" || len == "4" || len == "6";
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
      return Status(
          ErrorCode::kInvalidArgument,
          Tr("--by 的维度无效：" + d +
                 "（可用 "
                 "category、sex、age_band、school_status、school_stage、vaccination、card、"
                 "hukou_area[:2|4|6]、residence_area[:2|4|6]）",
             "unknown --by dimension: " + d +
                 " (use category, sex, age_band, school_status, school_stage, "
                 "vaccination, card, hukou_area[:2|4|6], residence_area[:2|4|6])"));
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

// Checks the query's area prefix and dimensions; kInvalidArgument names a bad one.
Status CheckCountsQuery(const CountsQuery& query) {
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
  return Status::Ok();
}

// 2, 4 or 6: the cube digits that hold an area prefix of `digits` digits.
int LevelDigits(size_t digits) { return digits <= 2 ? 2 : digits <= 4 ? 4 : 6; }

// What the cells of one question are read as: the level, and for each dimension where its value
// comes from (an attribute, or the digits of one of the two areas).
struct CellReading {
  StatsLevel level;
  struct Source {
    std::optional<StatsAttribute> attribute;
    bool residence = false;  // else hukou (when not an attribute)
    size_t digits = 6;
  };
  std::vector<Source> sources;
};

// The level that answers `query` over `dimensions` with the fewest rows (StatsLevelFor): it must
// keep the digits of the area prefix and of every area dimension; hukou digits only when asked (a
// moved-out question selects by the hukou at the prefix's digits and compares the residence too).
CellReading ReadingFor(const CountsQuery& query, const std::vector<std::string>& dimensions) {
  CellReading reading;
  int residence = LevelDigits(query.area_prefix.size());
  int hukou = query.moved_out ? residence : 0;
  for (const std::string& d : dimensions) {
    CellReading::Source source;
    source.attribute = StatsAttributeNamed(d);
    if (!source.attribute) {
      source.residence = d.rfind("residence_area", 0) == 0;
      source.digits = AreaDigits(d);
      int& needed = source.residence ? residence : hukou;
      needed = std::max(needed, static_cast<int>(source.digits));
    }
    reading.sources.push_back(source);
  }
  reading.level = StatsLevelFor(residence, hukou);
  return reading;
}

// A group of cells as summed: the areas cut to the dimensions' digits, the asked attributes.
struct GroupKey {
  int32_t residence = 0, hukou = 0;
  StatsAttributes attributes = 0;
  bool operator==(const GroupKey&) const = default;
};
struct GroupKeyHash {
  size_t operator()(const GroupKey& k) const {
    return std::hash<uint64_t>()((uint64_t(uint32_t(k.residence)) << 32) ^ uint32_t(k.hukou)) ^
           std::hash<uint32_t>()(k.attributes) * 0x9E3779B97F4A7C15ULL;
  }
};

// The text of `digits` digits of an area prefix (kNoStatsArea: "unknown").
std::string AreaText(int32_t prefix, size_t digits) {
  if (prefix == kNoStatsArea) return kUnknownValue;
  std::string text = std::to_string(prefix);
  return std::string(digits > text.size() ? digits - text.size() : 0, '0') + text;
}

// How a cell of the reading's level is cut into its group: digits kept of each area (the finest
// area dimension asked of it, 0 when none) and the bits of the asked attributes.
struct GroupCut {
  int residence_digits = 0, hukou_digits = 0;
  StatsAttributes mask = 0;
};
GroupCut CutFor(const CellReading& reading) {
  GroupCut cut;
  for (const CellReading::Source& s : reading.sources) {
    if (s.attribute) {
      cut.mask |= StatsAttributes{0xF} << (4 * static_cast<int>(*s.attribute));
    } else {
      int& digits = s.residence ? cut.residence_digits : cut.hukou_digits;
      digits = std::max(digits, static_cast<int>(s.digits));
    }
  }
  return cut;
}

// The cells of a query as counted, each with its cell key (cell_key.h), and the total.
struct CountCells {
  std::map<std::vector<std::string>, KeyedCount> cells;
  KeyedCount total;
};

// The first `digits` digits of an area prefix of `from` digits (0 for none; kNoStatsArea stays).
int32_t Shorten(int32_t prefix, int from, int digits) {
  if (digits == 0) return 0;
  if (prefix == kNoStatsArea) return prefix;
  for (int i = digits; i < from; ++i) prefix /= 10;
  return prefix;
}

// The value of each dimension in a group cut by `cut`.
std::vector<std::string> GroupValues(const CellReading& reading, const GroupCut& cut,
                                     const GroupKey& key) {
  std::vector<std::string> values;
  values.reserve(reading.sources.size());
  for (const CellReading::Source& s : reading.sources) {
    if (s.attribute) {
      values.emplace_back(StatsAttributeValue(key.attributes, *s.attribute));
      continue;
    }
    const int digits = static_cast<int>(s.digits);
    values.push_back(AreaText(s.residence ? Shorten(key.residence, cut.residence_digits, digits)
                                          : Shorten(key.hukou, cut.hukou_digits, digits),
                              s.digits));
  }
  return values;
}

// The first and last area prefix at `digits` digits that start with `prefix`.
std::pair<int64_t, int64_t> PrefixRange(const std::string& prefix, int digits) {
  int64_t scale = 1;
  for (size_t i = prefix.size(); i < static_cast<size_t>(digits); ++i) scale *= 10;
  const int64_t p = static_cast<int64_t>(ParseUint64(prefix).value_or(0));
  return {p * scale, (p + 1) * scale - 1};
}

// Sums the cube's cells in the query's area into groups of `dimensions`, block by block
// (stats_block.h). A block's areas are the residence and hukou prefixes at the level's digits
// (kNoStatsArea for an unknown area, which no prefix holds); a moved-out question reads the blocks
// by hukou and leaves out those living in the area. Closed records (18 or older) are not counted.
Result<CountCells> SumCells(schema::Database& db, const CountsQuery& query,
                            const std::vector<std::string>& dimensions) {
  const CellReading reading = ReadingFor(query, dimensions);
  const StatsLevel level = reading.level;
  const std::string by = query.moved_out ? "hukou" : "residence";
  ASSIGN_OR_RETURN(schema::Statement st,
                   db.Prepare("SELECT residence, hukou, head, cells FROM stats_blocks "
                              "WHERE level = ?1 AND " +
                              by + " BETWEEN ?2 AND ?3"));
  const auto [low, high] =
      PrefixRange(query.area_prefix, query.moved_out ? level.hukou : level.residence);
  const auto [home_low, home_high] = PrefixRange(query.area_prefix, level.residence);
  st.Bind(1, int64_t{level.id()}).Bind(2, low).Bind(3, high);
  const GroupCut cut = CutFor(reading);
  const uint32_t tail_mask = StatsTail(cut.mask);
  CountCells counted;
  std::unordered_map<GroupKey, KeyedCount, GroupKeyHash> groups;
  RETURN_IF_ERROR(st.ForEachRow([&](const schema::Statement& row) -> Status {
    // The head holds the age band: a closed record's block is counted in no answer.
    if (StatsRecordClosed(static_cast<StatsAttributes>(row.ColumnInt(2)))) return Status::Ok();
    const auto residence = static_cast<int32_t>(row.ColumnInt(0));
    if (query.moved_out && residence >= home_low && residence <= home_high) return Status::Ok();
    const GroupKey block{
        Shorten(residence, level.residence, cut.residence_digits),
        Shorten(static_cast<int32_t>(row.ColumnInt(1)), level.hukou, cut.hukou_digits),
        static_cast<StatsAttributes>(row.ColumnInt(2)) & cut.mask};
    KeyedCount whole;  // the block's cells, when no tail attribute is asked
    const Status read =
        ForEachStatsBlockCell(row.ColumnBlobView(3), [&](uint32_t tail, const KeyedCount& cell) {
          if (tail_mask == 0) return whole.Add(cell);
          GroupKey key = block;
          key.attributes |= StatsJoin(0, tail & tail_mask);
          groups[key].Add(cell);
        });
    if (tail_mask == 0 && whole.n > 0) groups[block].Add(whole);
    return read;
  }));
  for (const auto& [key, count] : groups) {
    counted.total.Add(count);
    if (!dimensions.empty()) counted.cells[GroupValues(reading, cut, key)].Add(count);
  }
  return counted;
}

}  // namespace

Result<CountsReport> ComputeCounts(schema::Database& db, const CountsQuery& query,
                                   const platform::Clock& clock) {
  RETURN_IF_ERROR(CheckCountsQuery(query));
  CountsReport report;
  report.area = query.area_prefix;
  ASSIGN_OR_RETURN(std::optional<std::string> as_of, StatsAsOf(db));
  report.as_of = as_of ? *as_of : UtcNowIso8601(clock);
  report.moved_out = query.moved_out;
  report.dimensions = DistinctDimensions(query.by);
  ASSIGN_OR_RETURN(CountCells counted, SumCells(db, query, report.dimensions));
  // Exact: the true counts. Otherwise what cell key perturbation publishes of each (n, key sum).
  const auto shown = [&query](const KeyedCount& cell) {
    return query.exact ? std::optional<int64_t>(cell.n) : PublishCount(cell);
  };
  report.total = shown(counted.total);
  for (const auto& [values, cell] : counted.cells) report.groups.push_back({values, shown(cell)});
  return report;
}

}  // namespace onecard::server
