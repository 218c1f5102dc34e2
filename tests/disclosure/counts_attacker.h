// An official who wants to know the children behind small cells: takes every counts table they
// may obtain (any area, breakdown, total, moved-out), turns each cell into the set of persons it
// counts, relates the sets (a table's cells partition the cell of the coarser table they refine;
// the same set asked twice is one unknown), and narrows the bounds of every set's true size by
// interval propagation until nothing changes. Referral tables are attacked the same way
// (referral_attack_test.cc): a set of referrals, the table's `subset` naming an outcome.
// Test code only; knows nothing of the store.
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

namespace onecard::disclosure {

// A true count is known to lie in [lo, hi].
struct Bounds {
  int64_t lo = 0;
  int64_t hi = 0;
};
inline constexpr int64_t kUnbounded = int64_t{1} << 40;

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
  // The set of persons a cell counts, written canonically, so that the same set reached through
  // different questions is one unknown: "res=440303|huk=41|notres=|category=migrant|...". A
  // referral table's area (the referring site's) is "res", like its "area" dimension; a month of
  // its "period" dimension is the range of that one month.
  static std::string SetOf(const PublishedTable& t, const std::vector<std::string>& values) {
    std::map<std::string, std::string> c = {
        {"res", ""}, {"huk", ""},      {"notres", ""},        {"category", ""},
        {"sex", ""}, {"age_band", ""}, {"school_status", ""}, {"subset", t.subset}};
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
    Narrow(Var(SetOf(t, {})), total);
    for (size_t i = 0; i < t.cells.size() && i < cells.size(); ++i)
      Narrow(Var(SetOf(t, t.cells[i].values)), cells[i]);
    for (size_t drop = 0; drop < t.dimensions.size(); ++drop) RelateToCoarser(t, drop);
  }

  // Interval propagation over every relation until no bound moves.
  void Solve() {
    for (bool moved = true; moved;) {
      moved = false;
      for (const Relation& r : relations_) moved |= Propagate(r);
    }
  }

  const std::map<std::string, size_t>& sets() const { return vars_; }
  Bounds BoundsOf(size_t var) const { return bounds_[var]; }
  size_t relations() const { return relations_.size(); }

 private:
  struct Relation {
    size_t whole;
    std::vector<size_t> parts;
  };

  size_t Var(const std::string& set) {
    auto [it, added] = vars_.emplace(set, bounds_.size());
    if (added) bounds_.push_back({0, kUnbounded});
    return it->second;
  }

  bool Narrow(size_t var, Bounds b) {
    Bounds& cur = bounds_[var];
    bool moved = false;
    if (b.lo > cur.lo) cur.lo = b.lo, moved = true;
    if (b.hi < cur.hi) cur.hi = b.hi, moved = true;
    return moved;
  }

  // The cells of `t` partition the cells of the table without dimension `drop`; a coarser cell
  // with no finer cell listed, or the reverse, cannot happen (both list every non-empty set).
  void RelateToCoarser(const PublishedTable& t, size_t drop) {
    PublishedTable coarser = t;
    coarser.dimensions.erase(coarser.dimensions.begin() + static_cast<std::ptrdiff_t>(drop));
    std::map<std::vector<std::string>, Relation> by_coarse_cell;
    for (const PublishedCell& cell : t.cells) {
      std::vector<std::string> coarse = cell.values;
      coarse.erase(coarse.begin() + static_cast<std::ptrdiff_t>(drop));
      Relation& r = by_coarse_cell[coarse];
      r.whole = Var(SetOf(coarser, coarse));
      r.parts.push_back(Var(SetOf(t, cell.values)));
    }
    for (auto& [coarse, r] : by_coarse_cell) relations_.push_back(std::move(r));
  }

  // whole = sum of parts: each side bounded by the other.
  bool Propagate(const Relation& r) {
    int64_t lo_sum = 0, hi_sum = 0;
    for (size_t p : r.parts) lo_sum += bounds_[p].lo, hi_sum += std::min(bounds_[p].hi, kUnbounded);
    bool moved = Narrow(r.whole, {lo_sum, hi_sum});
    const Bounds whole = bounds_[r.whole];
    for (size_t p : r.parts) {
      const Bounds part = bounds_[p];
      const int64_t others_lo = lo_sum - part.lo, others_hi = hi_sum - part.hi;
      moved |= Narrow(p, {std::max(part.lo, whole.lo - others_hi), whole.hi - others_lo});
      lo_sum += bounds_[p].lo - part.lo;
      hi_sum += bounds_[p].hi - part.hi;
    }
    return moved;
  }

  std::map<std::string, size_t> vars_;
  std::vector<Bounds> bounds_;
  std::vector<Relation> relations_;
};

}  // namespace onecard::disclosure
