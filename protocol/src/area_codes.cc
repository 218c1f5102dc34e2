#include "onecard/protocol/area_codes.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "data_table.h"
#include "onecard/protocol/status.h"

namespace onecard {

namespace {

constexpr std::string_view kTableFile = "gbt2260.tsv";

bool IsSixDigits(std::string_view s) {
  if (s.size() != 6) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Code → name, views into the embedded table (which lives for the whole program).
using AreaTable = std::unordered_map<std::string_view, std::string_view>;

// The table is data built into the binary: a malformed line is a build defect, not outside input,
// so it aborts.
AreaTable ParseTable() {
  AreaTable table;
  ForEachTableLine(DataTable(kTableFile), [&](std::string_view code, std::string_view name) {
    ONECARD_CHECK(IsSixDigits(code) && !name.empty());
    ONECARD_CHECK(table.emplace(code, name).second);
  });
  return table;
}

const AreaTable& Table() {
  static const AreaTable table = ParseTable();
  return table;
}

}  // namespace

bool IsKnownArea(std::string_view code6) { return IsSixDigits(code6) && Table().contains(code6); }

std::optional<std::string> AreaName(std::string_view code6) {
  if (!IsSixDigits(code6)) return std::nullopt;
  auto it = Table().find(code6);
  if (it == Table().end()) return std::nullopt;
  return std::string(it->second);
}

std::optional<AreaLevel> AreaLevelOf(std::string_view code6) {
  if (!IsSixDigits(code6) || code6 == "000000") return std::nullopt;
  if (code6.substr(2) == "0000") return AreaLevel::kProvince;
  if (code6.substr(4) == "00") return AreaLevel::kPrefecture;
  return AreaLevel::kCounty;
}

std::optional<std::vector<std::pair<std::string, std::string>>> AreasUnder(
    std::string_view parent) {
  std::string prefix(parent);
  while (prefix.size() > 2 && prefix.ends_with("00")) prefix.resize(prefix.size() - 2);
  if (!prefix.empty()) {
    const std::string code = prefix + std::string(6 - std::min<size_t>(prefix.size(), 6), '0');
    if ((prefix.size() != 2 && prefix.size() != 4) || !IsKnownArea(code)) return std::nullopt;
  }
  // A child's code: one more level (two more digits) than `prefix`, zeros after them.
  const size_t level_digits = prefix.size() + 2;
  std::vector<std::pair<std::string, std::string>> areas;
  for (const auto& [code, name] : Table()) {
    if (!code.starts_with(prefix) ||
        code.substr(level_digits).find_first_not_of('0') != std::string_view::npos) {
      continue;
    }
    if (code.substr(prefix.size(), 2) == "00") continue;  // the parent itself
    areas.emplace_back(std::string(code), std::string(name));
  }
  std::sort(areas.begin(), areas.end());
  return areas;
}

size_t KnownAreaCount() { return Table().size(); }

std::string AreaScopePrefix(const std::string& area) {
  std::string p = area;
  while (p.size() > 2 && p.ends_with("00")) p.resize(p.size() - 2);
  return p;
}

}  // namespace onecard
