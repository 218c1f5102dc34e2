// The attacker of counts_attacker.h, asking flows too (docs/flows.md): every flows table of an area
// (each level of the from- and to-areas, without or with each level of the hukou area, each
// period) becomes sets of persons in the same IntervalSolver, related by what the attacker knows
// of moves:
//   - a cell at a coarser level of the from-, to- or hukou area is the union of the cells at the
//     next finer level it covers (a cell of hukou level 2 is the union of the cells of the same
//     from, to and month over the hukou areas, the table without hukou);
//   - the period's total, moved-out and moved-in are unions of its finest cells;
//   - a month's cell is the union of the same cell in the month's two halves.
// These unions are disjoint only when no person moves twice in a period and each has one hukou
// area, which the synthetic moves guarantee (one move per child, one record per person): the
// attacker is given the strongest case. A cell's set is named by its from- and to-prefixes, its
// hukou prefix when it has one, and the days it covers (its month within the period), and by the
// area asked only when neither from nor to implies it, so that one set reached by different
// questions is one unknown. Test code only; knows nothing of the store.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "counts_attacker.h"
#include "interval_solver.h"
#include "onecard/protocol/civil_date.h"

namespace onecard::disclosure {

struct PublishedFlowCell {
  std::string from, to;
  std::string hukou;  // "" when the table is not grouped by hukou area
  std::string month;
  std::optional<int64_t> count;  // none: suppressed
};
struct PublishedFlows {
  std::string area, from, to;  // the area asked and the period (dates, both included)
  size_t from_digits = 4, to_digits = 4;
  size_t hukou_digits = 0;  // 0: not grouped by hukou area
  std::optional<int64_t> total, moved_out, moved_in;
  std::vector<PublishedFlowCell> cells;
};

class FlowsAttacker {
 public:
  explicit FlowsAttacker(IntervalSolver& solver) : solver_(solver) {}

  // The set of persons a cell counts: "flow|from=4403|to=321324|days=2026-01-01..2026-01-15|",
  // with "hukou=3213|" before the days in a table grouped by hukou area.
  static std::string CellSet(const PublishedFlows& t, const PublishedFlowCell& c) {
    std::string name = "flow|from=" + c.from + "|to=" + c.to + "|";
    if (!c.hukou.empty()) name += "hukou=" + c.hukou + "|";
    name += "days=" + Days(t, c.month) + "|";
    if (!c.from.starts_with(t.area) && !c.to.starts_with(t.area)) name += "near=" + t.area + "|";
    return name;
  }
  // The sets of the period's figures: "total", "out" or "in" of the area.
  static std::string FigureSet(const PublishedFlows& t, const std::string& figure) {
    return "flow" + figure + "|area=" + t.area + "|days=" + t.from + ".." + t.to + "|";
  }

  // Adds what a table publishes, and its cells' relations to the tables one level finer.
  void AddTable(const PublishedFlows& t, const BoundsRule& rule) {
    solver_.Narrow(solver_.Var(FigureSet(t, "total")), rule(t.total, true));
    solver_.Narrow(solver_.Var(FigureSet(t, "out")), rule(t.moved_out, true));
    solver_.Narrow(solver_.Var(FigureSet(t, "in")), rule(t.moved_in, true));
    for (const PublishedFlowCell& c : t.cells) {
      solver_.Narrow(solver_.Var(CellSet(t, c)), rule(c.count, false));
    }
    const size_t fd = t.from_digits, td = t.to_digits, hd = t.hukou_digits;
    if (fd > 2) RelateToCoarser(t, {fd - 2, td, hd});
    if (td > 2) RelateToCoarser(t, {fd, td - 2, hd});
    if (hd > 0) RelateToCoarser(t, {fd, td, hd == 2 ? 0 : hd - 2});
    if (fd == 6 && td == 6) RelateFigures(t);
    tables_[{t.area, {fd, td, hd}, t.from, t.to}] = t;
  }

  // Relates each month's cells to its halves' (both must have been asked: AddTable first).
  void RelateMonthsToHalves() {
    for (const auto& [key, month] : tables_) {
      const auto& [area, levels, from, to] = key;
      if (from.substr(8) != "01" || to != MonthEnd(from.substr(0, 7))) continue;
      auto first = tables_.find({area, levels, from, from.substr(0, 8) + "15"});
      auto second = tables_.find({area, levels, from.substr(0, 8) + "16", to});
      if (first == tables_.end() || second == tables_.end()) continue;
      for (const PublishedFlowCell& c : month.cells) {
        std::vector<size_t> parts;
        for (const PublishedFlows* half : {&first->second, &second->second}) {
          for (const PublishedFlowCell& h : half->cells) {
            if (h.from == c.from && h.to == c.to && h.hukou == c.hukou) {
              parts.push_back(solver_.Var(CellSet(*half, h)));
            }
          }
        }
        solver_.Relate(solver_.Var(CellSet(month, c)), parts);
      }
    }
  }

  // The last day of `month` ("2026-02" -> "2026-02-28").
  static std::string MonthEnd(const std::string& month) {
    const int year = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2));
    const CivilDate next = m == 12 ? CivilDate{year + 1, 1, 1} : CivilDate{year, m + 1, 1};
    return CivilDate::FromDays(next.ToDays() - 1).ToString();
  }

 private:
  // The days of `month` within the table's period.
  static std::string Days(const PublishedFlows& t, const std::string& month) {
    return std::max(t.from, month + "-01") + ".." + std::min(t.to, MonthEnd(month));
  }

  // The digits of a table's from-, to- and hukou areas (hukou 0: not grouped by it).
  struct Levels {
    size_t from, to, hukou;
    auto operator<=>(const Levels&) const = default;
  };

  // `area` cut to `digits`, as the store shows it at that level: "unknown" stays so; "" at 0.
  static std::string Cut(const std::string& area, size_t digits) {
    if (digits == 0) return "";
    return area == "unknown" ? area : area.substr(0, digits);
  }

  // The cells of `t` partition the cells of the same area and period at the coarser `levels`.
  void RelateToCoarser(const PublishedFlows& t, const Levels& levels) {
    PublishedFlows coarser = t;
    coarser.from_digits = levels.from;
    coarser.to_digits = levels.to;
    coarser.hukou_digits = levels.hukou;
    std::map<std::tuple<std::string, std::string, std::string, std::string>, std::vector<size_t>>
        parts;
    for (const PublishedFlowCell& c : t.cells) {
      parts[{Cut(c.from, levels.from), Cut(c.to, levels.to), Cut(c.hukou, levels.hukou), c.month}]
          .push_back(solver_.Var(CellSet(t, c)));
    }
    for (auto& [coarse, vars] : parts) {
      const auto& [from, to, hukou, month] = coarse;
      solver_.Relate(solver_.Var(CellSet(coarser, {from, to, hukou, month, std::nullopt})), vars);
    }
  }

  // The period's total, moved-out and moved-in are unions of its finest cells.
  void RelateFigures(const PublishedFlows& t) {
    std::vector<size_t> all, out, in;
    for (const PublishedFlowCell& c : t.cells) {
      const size_t var = solver_.Var(CellSet(t, c));
      all.push_back(var);
      const bool from_here = c.from.starts_with(t.area), to_here = c.to.starts_with(t.area);
      if (from_here && !to_here) out.push_back(var);
      if (to_here && !from_here) in.push_back(var);
    }
    solver_.Relate(solver_.Var(FigureSet(t, "total")), all);
    solver_.Relate(solver_.Var(FigureSet(t, "out")), out);
    solver_.Relate(solver_.Var(FigureSet(t, "in")), in);
  }

  IntervalSolver& solver_;
  std::map<std::tuple<std::string, Levels, std::string, std::string>, PublishedFlows> tables_;
};

}  // namespace onecard::disclosure
