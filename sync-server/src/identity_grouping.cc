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

// The latest decision on the pair (a, b), in either order; none when undecided.
std::optional<IdentityDecisionKind> Decided(const IdentityDecisions& decisions,
                                            const std::string& a, const std::string& b) {
  auto it = decisions.find(a < b ? std::pair{a, b} : std::pair{b, a});
  if (it == decisions.end()) return std::nullopt;
  return it->second;
}

// The records sorted by child_id (so that nothing depends on their order), each known by its
// index in that order.
class SortedRecords {
 public:
  explicit SortedRecords(const std::vector<GroupedRecord>& records) {
    sorted_.reserve(records.size());
    for (const auto& r : records) sorted_.push_back(&r);
    std::sort(sorted_.begin(), sorted_.end(),
              [](auto* x, auto* y) { return x->child_id < y->child_id; });
    index_.reserve(sorted_.size());
    for (std::size_t i = 0; i < sorted_.size(); ++i) index_.emplace(sorted_[i]->child_id, i);
  }
  std::size_t size() const { return sorted_.size(); }
  const GroupedRecord& operator[](std::size_t i) const { return *sorted_[i]; }
  // The index of the record `id`; none when it is not one of the records.
  std::optional<std::size_t> At(const std::string& id) const {
    auto it = index_.find(id);
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }
  // The index of the record `id`, which must be one of the records.
  std::size_t IndexOf(const std::string& id) const { return index_.at(id); }

 private:
  std::vector<const GroupedRecord*> sorted_;
  std::unordered_map<std::string, std::size_t> index_;
};

// One grouping under way: the steps of GroupIdentities, in the order it takes them, over the sets
// of records joined so far.
class Grouper {
 public:
  Grouper(const std::vector<GroupedRecord>& records, const IdentityDecisions& decisions)
      : records_(records), decisions_(decisions), sets_(records_.size()) {}

  // Forbids every pair whose latest decision is not `merge` (separate, unmerge) to end in one set.
  void ForbidSeparatedPairs() {
    for (const auto& [pair, kind] : decisions_) {
      if (kind == IdentityDecisionKind::kMerge) continue;
      auto x = records_.At(pair.first), y = records_.At(pair.second);
      if (x && y) sets_.Forbid(*x, *y);
    }
  }

  // Joins the pairs whose latest decision is `merge`, in pair order. Returns them as candidate
  // links (merged), whether joined or not.
  std::vector<GroupedLink> JoinMergedPairs() {
    std::vector<GroupedLink> candidates;
    for (const auto& [pair, kind] : decisions_) {
      if (kind != IdentityDecisionKind::kMerge) continue;
      auto x = records_.At(pair.first), y = records_.At(pair.second);
      if (x && y) sets_.Join(*x, *y);
      candidates.push_back({pair.first, pair.second, true, 0, 0});
    }
    return candidates;
  }

  // Joins the resolver's links between known records, exact links first, then by decreasing score
  // (ties by pair), and appends them to `candidates`. Returns the links skipped because they would
  // join a forbidden pair, less those whose own pair was decided `separate`.
  std::vector<IdentityPair> JoinResolverLinks(const std::vector<IdentityPair>& resolver_links,
                                              std::vector<GroupedLink>& candidates) {
    std::vector<IdentityPair> links = resolver_links;
    std::sort(links.begin(), links.end(), [](const IdentityPair& x, const IdentityPair& y) {
      bool ex = IsExactLink(x), ey = IsExactLink(y);
      if (ex != ey) return ex;
      if (x.score != y.score) return x.score > y.score;
      return std::tie(x.a, x.b) < std::tie(y.a, y.b);
    });
    std::vector<IdentityPair> skipped;
    for (const IdentityPair& link : links) {
      auto x = records_.At(link.a), y = records_.At(link.b);
      if (!x || !y) continue;
      candidates.push_back(
          {std::min(link.a, link.b), std::max(link.a, link.b), false, link.score, link.reasons});
      if (sets_.Join(*x, *y)) continue;
      if (Decided(decisions_, link.a, link.b) != IdentityDecisionKind::kSeparate)
        skipped.push_back(link);
    }
    return skipped;
  }

  // Review: pairs still apart and not decided apart, each once (as a < b), by decreasing score
  // then pair.
  std::vector<IdentityPair> ReviewQueue(const std::vector<IdentityPair>& review) {
    std::vector<IdentityPair> queue;
    std::set<std::pair<std::string, std::string>> seen;
    for (IdentityPair p : review) {
      if (p.b < p.a) std::swap(p.a, p.b);
      auto x = records_.At(p.a), y = records_.At(p.b);
      if (!x || !y || sets_.Find(*x) == sets_.Find(*y)) continue;
      if (Decided(decisions_, p.a, p.b) == IdentityDecisionKind::kSeparate) continue;
      if (!seen.insert({p.a, p.b}).second) continue;
      queue.push_back(std::move(p));
    }
    std::sort(queue.begin(), queue.end(), [](const IdentityPair& x, const IdentityPair& y) {
      if (x.score != y.score) return x.score > y.score;
      return std::tie(x.a, x.b) < std::tie(y.a, y.b);
    });
    return queue;
  }

  // Links in force (both ends in one set), sorted by pair; a merged pair the resolver also links is
  // listed once, as merged (it comes first in `candidates`). Moves from `candidates`.
  std::vector<GroupedLink> LinksInForce(std::vector<GroupedLink>& candidates) {
    std::vector<GroupedLink> links;
    std::set<std::pair<std::string, std::string>> listed;
    for (GroupedLink& l : candidates) {
      auto x = records_.At(l.a), y = records_.At(l.b);
      if (!x || !y || sets_.Find(*x) != sets_.Find(*y)) continue;
      if (!listed.insert({l.a, l.b}).second) continue;
      links.push_back(std::move(l));
    }
    std::sort(links.begin(), links.end(), [](const GroupedLink& x, const GroupedLink& y) {
      return std::tie(x.a, x.b) < std::tie(y.a, y.b);
    });
    return links;
  }

  // Persons (sets of two or more records), in order of their smallest member.
  std::vector<Person> Persons() {
    std::vector<Person> persons;
    std::unordered_map<std::size_t, std::size_t> person_of_root;
    std::vector<std::size_t> size(records_.size(), 0);
    for (std::size_t i = 0; i < records_.size(); ++i) ++size[sets_.Find(i)];
    for (std::size_t i = 0; i < records_.size(); ++i) {
      std::size_t root = sets_.Find(i);
      if (size[root] < 2) continue;
      const GroupedRecord& record = records_[i];
      auto [it, inserted] = person_of_root.emplace(root, persons.size());
      if (inserted) persons.push_back({record.child_id, {}, record.child_id});
      Person& person = persons[it->second];
      person.members.push_back(record.child_id);
      const GroupedRecord& cur = records_[records_.IndexOf(person.current)];
      if (std::tie(record.recency, record.child_id) > std::tie(cur.recency, cur.child_id)) {
        person.current = record.child_id;
      }
    }
    return persons;
  }

 private:
  const SortedRecords records_;
  const IdentityDecisions& decisions_;
  ConstrainedSets sets_;
};

}  // namespace

IdentityGrouping GroupIdentities(const std::vector<GroupedRecord>& records,
                                 const IdentityResolution& resolution,
                                 const IdentityDecisions& decisions) {
  Grouper grouper(records, decisions);
  grouper.ForbidSeparatedPairs();
  std::vector<GroupedLink> candidates = grouper.JoinMergedPairs();
  std::vector<IdentityPair> review = grouper.JoinResolverLinks(resolution.links, candidates);
  review.insert(review.end(), resolution.review.begin(), resolution.review.end());
  IdentityGrouping out;
  out.review = grouper.ReviewQueue(review);
  out.links = grouper.LinksInForce(candidates);
  out.persons = grouper.Persons();
  return out;
}

}  // namespace onecard::server
