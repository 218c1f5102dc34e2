// An official who wants to know the children behind small cells: takes every counts table they
// may obtain (any area, breakdown, total, moved-out), turns each cell into the set of persons it
// counts, relates the sets (a table's cells partition the cell of the coarser table they refine;
// the same set asked twice is one unknown) in an IntervalSolver (interval_solver.h), which narrows
// the bounds of every set's true size. Test code only; knows nothing of the store.
//
// What the attacker knows of a published value is given to AddTable as a function (the rule of the
// disclosure control under attack, which an attacker is assumed to know); an absent cell is known
// to be empty, since a table lists every non-empty cell.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "interval_solver.h"

namespace onecard::disclosure {

// One answer as an official reads it.
struct PublishedCell {
  std::vector<std::string> values;  // one per dimension of the table
  std::optional<int64_t> count;     // none: suppressed
};
struct PublishedTable {
  std::string area;
  bool moved_out = false;
  std::vector<std::string> dimensions;  // "category", "hukou_area:4", ...
  std::optional<int64_t> total;
  std::vector<PublishedCell> cells;
  // Only the records of this kind are counted ("status=completed"); "" for all. Tables of one
  // subset relate to each other, never to another subset's.
  std::string subset{};
  // Referral tables: the months of creation asked, "2026-07..2026-08"; "" when open.
  std::string period{};
};

// What a published count (none: suppressed) tells of the true count; `is_total`: the table's total.
using BoundsRule = std::function<Bounds(std::optional<int64_t> published, bool is_total)>;

class CountsAttacker {
 public:
  explicit CountsAttacker(IntervalSolver& solver) : solver_(solver) {}

  // The set of persons a cell counts, written canonically, so that the same set reached through
  // different questions is one unknown: "res=440303|huk=41|notres=|category=migrant|...". A
  // referral table's area (the referring site's) is "res", like its "area" dimension; a month of
  // its "period" dimension is the range of that one month.
  static std::string SetOf(const PublishedTable& t, const std::vector<std::string>& values) {
    std::map<std::string, std::string> c = {
        {"res", ""},         {"huk", ""},      {"notres", ""},        {"category", ""},
        {"sex", ""},         {"age_band", ""}, {"school_status", ""}, {"school_stage", ""},
        {"vaccination", ""}, {"card", ""},     {"subset", t.subset}};
    c[t.moved_out ? "huk" : "res"] = t.area;
    if (t.moved_out) c["notres"] = t.area;
    if (!t.period.empty()) c["period"] = t.period;
    for (size_t i = 0; i < t.dimensions.size() && i < values.size(); ++i) {
      const std::string base = t.dimensions[i].substr(0, t.dimensions[i].find(':'));
      if (base == "period") {  // one month: within any range asked
        c["period"] = values[i] + ".." + values[i];
        continue;
      }
      const std::string key = base == "hukou_area"                         ? "huk"
                              : base == "residence_area" || base == "area" ? "res"
                                                                           : base;
      if (values[i].size() > c[key].size()) c[key] = values[i];  // the narrower constraint
    }
    // A residence fixed at least as finely as the moved-out area implies "not living there".
    if (!c["notres"].empty() && c["res"].size() >= c["notres"].size()) c["notres"].clear();
    std::string out;
    for (const auto& [k, v] : c) out += k + "=" + v + "|";
    return out;
  }

  // Adds a table and its cells' relations to the coarser tables it refines (the same area and
  // moved-out, one dimension fewer: the attacker asks them all).
  void AddTable(const PublishedTable& t, const BoundsRule& rule) {
    std::vector<Bounds> cells;
    for (const PublishedCell& cell : t.cells) cells.push_back(rule(cell.count, false));
    AddTable(t, rule(t.total, true), cells);
  }

  // The same, with what the attacker knows of the total and of each cell (in t.cells' order)
  // already worked out.
  void AddTable(const PublishedTable& t, Bounds total, const std::vector<Bounds>& cells) {
    solver_.Narrow(solver_.Var(SetOf(t, {})), total);
    for (size_t i = 0; i < t.cells.size() && i < cells.size(); ++i)
      solver_.Narrow(solver_.Var(SetOf(t, t.cells[i].values)), cells[i]);
    for (size_t drop = 0; drop < t.dimensions.size(); ++drop) RelateToCoarser(t, drop);
  }

 private:
  // The cells of `t` partition the cells of the table without dimension `drop`; a coarser cell
  // with no finer cell listed, or the reverse, cannot happen (both list every non-empty set).
  void RelateToCoarser(const PublishedTable& t, size_t drop) {
    PublishedTable coarser = t;
    coarser.dimensions.erase(coarser.dimensions.begin() + static_cast<std::ptrdiff_t>(drop));
    std::map<std::vector<std::string>, std::pair<size_t, std::vector<size_t>>> by_coarse_cell;
    for (const PublishedCell& cell : t.cells) {
      std::vector<std::string> coarse = cell.values;
      coarse.erase(coarse.begin() + static_cast<std::ptrdiff_t>(drop));
      auto& [whole, parts] = by_coarse_cell[coarse];
      whole = solver_.Var(SetOf(coarser, coarse));
      parts.push_back(solver_.Var(SetOf(t, cell.values)));
    }
    for (auto& [coarse, relation] : by_coarse_cell) {
      solver_.Relate(relation.first, std::move(relation.second));
    }
  }

  IntervalSolver& solver_;
};

}  // namespace onecard::disclosure
