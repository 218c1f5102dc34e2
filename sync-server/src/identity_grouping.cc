#include "identity_grouping.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "onecard/protocol/identity_score.h"

namespace onecard::server {
namespace {

// Union-find whose sets carry the records they must never be joined with.
class ConstrainedSets {
 public:
  explicit ConstrainedSets(std::size_t n) : parent_(n), forbidden_(n) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }

  std::size_t Find(std::size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Forbid(std::size_t x, std::size_t y) {
    forbidden_[x].push_back(y);
    forbidden_[y].push_back(x);
  }
  // Joins the sets of x and y unless that would put a forbidden pair together. True when x and y
  // are in one set afterwards.
  bool Join(std::size_t x, std::size_t y) {
    std::size_t rx = Find(x), ry = Find(y);
    if (rx == ry) return true;
    if (forbidden_[rx].size() > forbidden_[ry].size()) std::swap(rx, ry);
    for (std::size_t other : forbidden_[rx]) {
      if (Find(other) == ry) return false;
    }
    parent_[rx] = ry;
    forbidden_[ry].insert(forbidden_[ry].end(), forbidden_[rx].begin(), forbidden_[rx].end());
    std::vector<std::size_t>().swap(forbidden_[rx]);
    return true;
  }

 private:
  std::vector<std::size_t> parent_;
  // Meaningful at roots only: records (in any set) that members of this set must not join.
  std::vector<std::vector<std::size_t>> forbidden_;
};

bool IsExactLink(const IdentityPair& p) {
  return (p.reasons & (kReasonSameIdNumber | kReasonSameCardSerial)) != 0;
}

}  // namespace

IdentityGrouping GroupIdentities(const std::vector<GroupedRecord>& records,
                                 const IdentityResolution& resolution,
                                 const IdentityDecisions& decisions) {
  std::vector<const GroupedRecord*> sorted;
  sorted.reserve(records.size());
  for (const auto& r : records) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(),
            [](auto* x, auto* y) { return x->child_id < y->child_id; });
  std::unordered_map<std::string, std::size_t> index;
  index.reserve(sorted.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) index.emplace(sorted[i]->child_id, i);
  auto at = [&](const std::string& id) -> std::optional<std::size_t> {
    auto it = index.find(id);
    if (it == index.end()) return std::nullopt;
    return it->second;
  };

  ConstrainedSets sets(sorted.size());
  for (const auto& [pair, kind] : decisions) {
    if (kind == IdentityDecisionKind::kMerge) continue;
    auto x = at(pair.first), y = at(pair.second);
    if (x && y) sets.Forbid(*x, *y);
  }
  auto decided = [&](const std::string& a,
                     const std::string& b) -> std::optional<IdentityDecisionKind> {
    auto it = decisions.find(a < b ? std::pair{a, b} : std::pair{b, a});
    if (it == decisions.end()) return std::nullopt;
    return it->second;
  };

  IdentityGrouping out;
  std::vector<GroupedLink> candidates;
  for (const auto& [pair, kind] : decisions) {
    if (kind != IdentityDecisionKind::kMerge) continue;
    auto x = at(pair.first), y = at(pair.second);
    if (x && y) sets.Join(*x, *y);
    candidates.push_back({pair.first, pair.second, true, 0, 0});
  }

  std::vector<IdentityPair> links = resolution.links;
  std::sort(links.begin(), links.end(), [](const IdentityPair& x, const IdentityPair& y) {
    bool ex = IsExactLink(x), ey = IsExactLink(y);
    if (ex != ey) return ex;
    if (x.score != y.score) return x.score > y.score;
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  std::vector<IdentityPair> review;
  for (const IdentityPair& link : links) {
    auto x = at(link.a), y = at(link.b);
    if (!x || !y) continue;
    candidates.push_back(
        {std::min(link.a, link.b), std::max(link.a, link.b), false, link.score, link.reasons});
    if (sets.Join(*x, *y)) continue;
    if (decided(link.a, link.b) != IdentityDecisionKind::kSeparate) review.push_back(link);
  }
  review.insert(review.end(), resolution.review.begin(), resolution.review.end());

  // Review: pairs still apart and not decided apart, each once.
  std::set<std::pair<std::string, std::string>> seen;
  for (IdentityPair p : review) {
    if (p.b < p.a) std::swap(p.a, p.b);
    auto x = at(p.a), y = at(p.b);
    if (!x || !y || sets.Find(*x) == sets.Find(*y)) continue;
    if (decided(p.a, p.b) == IdentityDecisionKind::kSeparate) continue;
    if (!seen.insert({p.a, p.b}).second) continue;
    out.review.push_back(std::move(p));
  }
  std::sort(out.review.begin(), out.review.end(), [](const IdentityPair& x, const IdentityPair& y) {
    if (x.score != y.score) return x.score > y.score;
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });

  // Links in force; a merged pair the resolver also links is listed once, as merged.
  std::set<std::pair<std::string, std::string>> listed;
  for (GroupedLink& l : candidates) {
    auto x = at(l.a), y = at(l.b);
    if (!x || !y || sets.Find(*x) != sets.Find(*y)) continue;
    if (!listed.insert({l.a, l.b}).second) continue;
    out.links.push_back(std::move(l));
  }
  std::sort(out.links.begin(), out.links.end(), [](const GroupedLink& x, const GroupedLink& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });

  // Persons, in order of their smallest member (records are sorted by child_id).
  std::unordered_map<std::size_t, std::size_t> person_of_root;
  std::vector<std::size_t> size(sorted.size(), 0);
  for (std::size_t i = 0; i < sorted.size(); ++i) ++size[sets.Find(i)];
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    std::size_t root = sets.Find(i);
    if (size[root] < 2) continue;
    auto [it, inserted] = person_of_root.emplace(root, out.persons.size());
    if (inserted) out.persons.push_back({sorted[i]->child_id, {}, sorted[i]->child_id});
    Person& person = out.persons[it->second];
    person.members.push_back(sorted[i]->child_id);
    const GroupedRecord& cur = *sorted[index.at(person.current)];
    if (std::tie(sorted[i]->recency, sorted[i]->child_id) > std::tie(cur.recency, cur.child_id)) {
      person.current = sorted[i]->child_id;
    }
  }
  return out;
}

}  // namespace onecard::server
