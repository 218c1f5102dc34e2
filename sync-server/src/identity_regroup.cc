#include "identity_regroup.h"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "identity_decisions.h"
#include "identity_sync_publish.h"
#include "onecard/protocol/identity_steps.h"
#include "onecard/protocol/number_text.h"
#include "stats_cube.h"

namespace onecard::server {
namespace {

using schema::Database;
using schema::Statement;

// Each child's partners in a pair whose latest decision is `merge` (merges join components).
std::unordered_multimap<std::string, std::string> MergedPartners(
    const IdentityDecisions& decisions) {
  std::unordered_multimap<std::string, std::string> out;
  for (const auto& [pair, kind] : decisions) {
    if (kind != IdentityDecisionKind::kMerge) continue;
    out.emplace(pair.first, pair.second);
    out.emplace(pair.second, pair.first);
  }
  return out;
}

// The records reachable from `seeds` through exact keys, linking pairs and merges: whole
// components, so that regrouping them leaves every other record's grouping as it was.
Result<std::set<int64_t>> Components(IdentityIndex& index, const IdentityDecisions& decisions,
                                     const std::set<int64_t>& seeds) {
  const auto merged = MergedPartners(decisions);
  std::set<int64_t> reached;
  std::deque<int64_t> queue(seeds.begin(), seeds.end());
  while (!queue.empty()) {
    const int64_t rec = queue.front();
    queue.pop_front();
    if (!reached.insert(rec).second) continue;
    ASSIGN_OR_RETURN(const IndexedRecord* record, index.Record(rec));
    if (record == nullptr || !record->identity) continue;  // no keys, no pairs: alone
    ASSIGN_OR_RETURN(std::vector<StoredPair> pairs, index.PairsOf(rec));
    for (const StoredPair& p : pairs) {
      if (PairLinks(p.kind)) queue.push_back(p.a == rec ? p.b : p.a);
    }
    for (uint64_t key : IdentityExactKeys(*record->identity)) {
      ASSIGN_OR_RETURN(std::vector<int64_t> members, index.Members(key));
      queue.insert(queue.end(), members.begin(), members.end());
    }
    for (auto [it, end] = merged.equal_range(record->child_id); it != end; ++it) {
      ASSIGN_OR_RETURN(std::optional<int64_t> partner, index.RecOf(it->second));
      if (partner) queue.push_back(*partner);
    }
  }
  return reached;
}

// The grouping of the records `group` (closed under links) as a full resolution would give it, with
// the review pairs leading out of it that were scored again (an end in `rescored`). A pair leading
// out that was not scored again is in the queue before and after, unchanged: its ends were in
// different components before too (every old component that meets the group is inside it), and a
// decision on it would have put both ends in the group.
struct PartGrouping {
  std::set<std::string> children;  // every record of the part, readable or not
  IdentityGrouping grouping;
  std::set<std::string> rescored;  // its records whose pairs were scored again
};

Result<PartGrouping> GroupPart(IdentityIndex& index, const IdentityDecisions& decisions,
                               const std::set<int64_t>& group, const std::set<int64_t>& rescored) {
  PartGrouping part;
  std::vector<const IndexedRecord*> records;
  for (int64_t rec : group) {
    ASSIGN_OR_RETURN(const IndexedRecord* r, index.Record(rec));
    if (r == nullptr) continue;
    part.children.insert(r->child_id);
    if (rescored.contains(rec)) part.rescored.insert(r->child_id);
    if (r->identity) records.push_back(r);
  }
  std::sort(records.begin(), records.end(), [](const IndexedRecord* x, const IndexedRecord* y) {
    return x->child_id < y->child_id;
  });
  std::unordered_map<int64_t, uint32_t> rank;
  std::vector<const IdentityRecord*> identities;
  std::vector<GroupedRecord> grouped;
  for (const IndexedRecord* r : records) {
    rank.emplace(r->rec, static_cast<uint32_t>(identities.size()));
    identities.push_back(&*r->identity);
    grouped.push_back({r->child_id, r->recency});
  }
  std::vector<IdentityScoredPair> inside;
  std::vector<IdentityPair> leading_out;
  for (const IndexedRecord* r : records) {
    ASSIGN_OR_RETURN(std::vector<StoredPair> pairs, index.PairsOf(r->rec));
    for (const StoredPair& p : pairs) {
      auto ra = rank.find(p.a), rb = rank.find(p.b);
      if (ra != rank.end() && rb != rank.end()) {
        if (p.a != r->rec) continue;  // each inside pair once, from its end a
        inside.push_back({std::min(ra->second, rb->second), std::max(ra->second, rb->second),
                          p.score, p.reasons, PairLinks(p.kind)});
        continue;
      }
      // Leading out (never a linking pair: its other end would be in the group).
      if (!rescored.contains(p.a) && !rescored.contains(p.b)) continue;
      ASSIGN_OR_RETURN(const IndexedRecord* other, index.Record(p.a == r->rec ? p.b : p.a));
      if (other == nullptr || !other->identity) continue;
      grouped.push_back({other->child_id, 0});
      leading_out.push_back({std::min(r->child_id, other->child_id),
                             std::max(r->child_id, other->child_id), p.score, p.reasons});
    }
  }
  IdentityResolution resolution = ClusterIdentities(identities, std::move(inside));
  resolution.review.insert(resolution.review.end(), leading_out.begin(), leading_out.end());
  // The decisions that concern the part (a merge's two ends are both in it or both outside).
  IdentityDecisions concerned;
  for (const auto& [pair, kind] : decisions) {
    if (part.children.contains(pair.first) || part.children.contains(pair.second))
      concerned.emplace(pair, kind);
  }
  std::sort(grouped.begin(), grouped.end(), [](const GroupedRecord& x, const GroupedRecord& y) {
    return std::tie(x.child_id, x.recency) > std::tie(y.child_id, y.recency);
  });
  grouped.erase(std::unique(grouped.begin(), grouped.end(),
                            [](const GroupedRecord& x, const GroupedRecord& y) {
                              return x.child_id == y.child_id;
                            }),
                grouped.end());
  part.grouping = GroupIdentities(grouped, resolution, concerned);
  return part;
}

using LinkValue = std::pair<std::optional<double>, uint32_t>;  // score, reasons
using PairKey = std::pair<std::string, std::string>;

// The part's rows of the derived tables before the regroup: its automatic links and the persons
// its records belonged to; then deletes them, with its review pairs (those inside the part and
// those of its records whose pairs were scored again), which are added to `review_pairs`.
Status TakeOutPart(Database& db, const PartGrouping& part, std::map<PairKey, LinkValue>& auto_links,
                   std::set<std::string>& persons, std::set<PairKey>& review_pairs) {
  ASSIGN_OR_RETURN(Statement links, db.Prepare("SELECT a, b, score, reasons, kind FROM "
                                               "identity_links WHERE a = ?"));
  ASSIGN_OR_RETURN(Statement person,
                   db.Prepare("SELECT person_id FROM identity_persons WHERE child_id = ?"));
  ASSIGN_OR_RETURN(Statement review, db.Prepare("SELECT a, b FROM identity_review WHERE a = ?1 "
                                                "UNION ALL SELECT a, b FROM identity_review "
                                                "WHERE b = ?1"));
  ASSIGN_OR_RETURN(Statement remove, db.Prepare("DELETE FROM identity_persons WHERE child_id = ?"));
  ASSIGN_OR_RETURN(Statement remove_links, db.Prepare("DELETE FROM identity_links WHERE a = ?"));
  ASSIGN_OR_RETURN(Statement remove_review,
                   db.Prepare("DELETE FROM identity_review WHERE a = ? AND b = ?"));
  for (const std::string& child : part.children) {
    RETURN_IF_ERROR(links.Reset());
    RETURN_IF_ERROR(links.Bind(1, child).ForEachRow([&auto_links](const Statement& row) {
      if (row.ColumnText(4) != "auto") return;
      auto_links[{row.ColumnText(0), row.ColumnText(1)}] = {
          ParseDouble(row.ColumnText(2)), static_cast<uint32_t>(row.ColumnInt(3))};
    }));
    RETURN_IF_ERROR(person.Reset());
    ASSIGN_OR_RETURN(bool row, person.Bind(1, child).Step());
    if (row) persons.insert(person.ColumnText(0));
    RETURN_IF_ERROR(review.Reset());
    RETURN_IF_ERROR(review.Bind(1, child).ForEachRow([&](const Statement& r) {
      PairKey pair{r.ColumnText(0), r.ColumnText(1)};
      const bool inside = part.children.contains(pair.first) && part.children.contains(pair.second);
      if (inside || part.rescored.contains(pair.first) || part.rescored.contains(pair.second))
        review_pairs.insert(std::move(pair));
    }));
    for (Statement* st : {&remove, &remove_links}) {
      RETURN_IF_ERROR(st->Reset());
      RETURN_IF_ERROR(st->Bind(1, child).Run());
    }
  }
  for (const PairKey& pair : review_pairs) {
    RETURN_IF_ERROR(remove_review.Reset());
    RETURN_IF_ERROR(remove_review.Bind(1, pair.first).Bind(2, pair.second).Run());
  }
  return Status::Ok();
}

// Writes the part's grouping; the persons it forms are added to `persons`, its review pairs to
// `review_pairs`.
Status WritePart(Database& db, const IdentityGrouping& g, std::set<std::string>& persons,
                 std::set<PairKey>& review_pairs) {
  ASSIGN_OR_RETURN(
      Statement person,
      db.Prepare("INSERT INTO identity_persons(child_id, person_id, current) VALUES (?, ?, ?)"));
  for (const Person& p : g.persons) {
    persons.insert(p.person_id);
    for (const std::string& m : p.members) {
      RETURN_IF_ERROR(person.Reset());
      RETURN_IF_ERROR(
          person.Bind(1, m).Bind(2, p.person_id).Bind(3, int64_t{m == p.current}).Run());
    }
  }
  ASSIGN_OR_RETURN(
      Statement link,
      db.Prepare("INSERT INTO identity_links(a, b, kind, score, reasons) VALUES (?, ?, ?, ?, ?)"));
  for (const GroupedLink& l : g.links) {
    RETURN_IF_ERROR(link.Reset());
    RETURN_IF_ERROR(link.Bind(1, l.a)
                        .Bind(2, l.b)
                        .Bind(3, l.merged ? "merge" : "auto")
                        .Bind(4, std::to_string(l.score))
                        .Bind(5, static_cast<int64_t>(l.reasons))
                        .Run());
  }
  ASSIGN_OR_RETURN(Statement review,
                   db.Prepare("INSERT INTO identity_review(a, b, score, reasons) VALUES (?, ?, ?, "
                              "?)"));
  for (const IdentityPair& p : g.review) {
    review_pairs.insert({p.a, p.b});
    RETURN_IF_ERROR(review.Reset());
    RETURN_IF_ERROR(review.Bind(1, p.a)
                        .Bind(2, p.b)
                        .Bind(3, std::to_string(p.score))
                        .Bind(4, static_cast<int64_t>(p.reasons))
                        .Run());
  }
  return Status::Ok();
}

// Logs the automatic links of `g` that were not in `before`, then those of `before` that are gone.
Status LogLinkChanges(Database& db, const IdentityGrouping& g,
                      std::map<PairKey, LinkValue> before) {
  for (const GroupedLink& l : g.links) {
    if (l.merged) continue;
    if (before.erase({l.a, l.b}) == 0)
      RETURN_IF_ERROR(
          AppendDecision(db, "auto_link", l.a, l.b, l.score, l.reasons, kResolverDecider));
  }
  for (const auto& [pair, was] : before) {
    RETURN_IF_ERROR(AppendDecision(db, "auto_unlink", pair.first, pair.second, was.first,
                                   was.second, kResolverDecider));
  }
  return Status::Ok();
}

}  // namespace

Status RegroupIdentities(Database& db, IdentityIndex& index, const IdentityDecisions& decisions,
                         const std::set<int64_t>& seeds, const std::set<int64_t>& rescored,
                         IdentityRefreshStats& stats) {
  if (seeds.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(std::set<int64_t> group, Components(index, decisions, seeds));
  ASSIGN_OR_RETURN(PartGrouping part, GroupPart(index, decisions, group, rescored));
  std::map<PairKey, LinkValue> auto_links_before;
  IdentityPublishScope scope;
  RETURN_IF_ERROR(TakeOutPart(db, part, auto_links_before, scope.persons, scope.review_pairs));
  RETURN_IF_ERROR(WritePart(db, part.grouping, scope.persons, scope.review_pairs));
  RETURN_IF_ERROR(LogLinkChanges(db, part.grouping, std::move(auto_links_before)));
  // The statistics count each person's current record (stats_cube.h).
  RETURN_IF_ERROR(KeepStatsWithPersonsOf(db, part.children));
  // Terminals receive what changed in the queue and the persons (sync.md, "Identity review").
  RETURN_IF_ERROR(PublishIdentityForSync(db, scope).status());
  stats.regrouped += part.children.size();
  return Status::Ok();
}

}  // namespace onecard::server
