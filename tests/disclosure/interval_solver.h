// The attacker's arithmetic (counts_attacker.h, flows_attacker.h): unknown true sizes of sets of
// persons, each known to lie in an interval, and relations "this set is the disjoint union of
// those", narrowed by interval propagation until nothing changes. Every kind of answer an official
// can obtain adds its sets and relations to one solver, so that relations between kinds count
// too. Test code only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
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

class IntervalSolver {
 public:
  // The unknown for the set named `set` (a canonical name: the same set, the same unknown).
  size_t Var(const std::string& set) {
    auto [it, added] = vars_.emplace(set, bounds_.size());
    if (added) bounds_.push_back({0, kUnbounded});
    return it->second;
  }

  // Intersects what is known of `var` with `b`; true when that moved a bound.
  bool Narrow(size_t var, Bounds b) {
    Bounds& cur = bounds_[var];
    bool moved = false;
    if (b.lo > cur.lo) cur.lo = b.lo, moved = true;
    if (b.hi < cur.hi) cur.hi = b.hi, moved = true;
    return moved;
  }

  // `whole` is the disjoint union of `parts`.
  void Relate(size_t whole, std::vector<size_t> parts) {
    relations_.push_back({whole, std::move(parts)});
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
