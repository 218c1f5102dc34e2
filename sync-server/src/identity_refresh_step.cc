#include "identity_refresh_step.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "identity_decisions.h"
#include "identity_index.h"
#include "identity_regroup.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/child_state.h"
#include "onecard/protocol/identity_score.h"
#include "onecard/protocol/identity_steps.h"
#include "onecard/protocol/timestamp.h"
#include "stored_values.h"

namespace onecard::server {
namespace {

using nlohmann::json;
using schema::Database;
using schema::Statement;
using StepClock = std::chrono::steady_clock;

struct Progress {
  int64_t copied_seq = 0;         // children copied through this change_seq
  int64_t decisions_through = 0;  // supervisors' decisions applied through this decision_id
  int64_t through_seq = -1;       // the grouping is current through this change_seq (-1: not)
};

Result<Progress> ReadProgress(Database& db) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT copied_seq, decisions_through, through_seq "
                                            "FROM identity_refresh WHERE id = 1"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Progress{};
  return Progress{st.ColumnInt(0), st.ColumnInt(1), st.ColumnInt(2)};
}

Status WriteProgress(Database& db, const Progress& p) {
  ASSIGN_OR_RETURN(
      Statement st,
      db.Prepare("INSERT INTO identity_refresh(id, through_seq, refreshed_at, copied_seq, "
                 "decisions_through) VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET "
                 "through_seq = ?1, refreshed_at = ?2, copied_seq = ?3, decisions_through = ?4"));
  return st.Bind(1, p.through_seq)
      .Bind(2, UtcNowIso8601(platform::SystemClock()))
      .Bind(3, p.copied_seq)
      .Bind(4, p.decisions_through)
      .Run();
}

Result<int64_t> ChildrenThroughSeq(Database& db) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT coalesce(max(change_seq), 0) FROM children"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnInt(0) : 0;
}

// The identity fields of a child's record (what identity_records keeps).
json IdentityFields(const json& record) {
  json fields = json::object();
  for (const char* f :
       {"name", "sex", "birth_date", "id_number", "card_serial", "hukou_area", "residence_area"}) {
    if (auto it = record.find(f); it != record.end()) fields[f] = *it;
  }
  if (auto it = record.find("guardians"); it != record.end() && it->is_array()) {
    json guardians = json::array();
    for (const json& g : *it) {
      if (!g.is_object()) continue;
      json kept = json::object();
      for (const char* f : {"relation", "name", "id_number"}) {
        if (auto gf = g.find(f); gf != g.end()) kept[f] = *gf;
      }
      guardians.push_back(std::move(kept));
    }
    fields["guardians"] = std::move(guardians);
  }
  return fields;
}

// Step 1: copies a page of children changed after progress.copied_seq into identity_records,
// marked dirty. Unreadable states are counted and left out (a later change brings the child in).
// Returns the number of children read.
Result<size_t> CopyChangedChildren(Database& db, size_t limit, Progress& progress,
                                   IdentityRefreshStats& stats) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT child_id, state, change_seq FROM children "
                                            "WHERE change_seq > ? ORDER BY change_seq LIMIT ?"));
  ASSIGN_OR_RETURN(
      Statement put,
      db.Prepare("INSERT INTO identity_records(child_id, change_seq, recency, fields, dirty) "
                 "VALUES (?, ?, ?, ?, 1) ON CONFLICT(child_id) DO UPDATE SET change_seq = "
                 "excluded.change_seq, recency = excluded.recency, fields = excluded.fields, "
                 "dirty = 1"));
  struct Row {
    std::string child_id;
    int64_t change_seq;
    int64_t recency;
    std::string fields;
  };
  std::vector<Row> rows;
  size_t read = 0;
  RETURN_IF_ERROR(st.Bind(1, progress.copied_seq)
                      .Bind(2, static_cast<int64_t>(limit))
                      .ForEachRow([&](const Statement& row) {
                        ++read;
                        progress.copied_seq = row.ColumnInt(2);
                        Result<ChildState> state = StoredChildState(row.ColumnText(1));
                        if (!state.ok()) {
                          ++stats.unreadable;
                          return;
                        }
                        rows.push_back({row.ColumnText(0), row.ColumnInt(2),
                                        static_cast<int64_t>(state->Latest().hlc),
                                        IdentityFields(state->Record()).dump()});
                      }));
  for (const Row& r : rows) {
    RETURN_IF_ERROR(put.Reset());
    RETURN_IF_ERROR(
        put.Bind(1, r.child_id).Bind(2, r.change_seq).Bind(3, r.recency).Bind(4, r.fields).Run());
  }
  return read;
}

Result<std::vector<int64_t>> DirtyRecords(Database& db, size_t limit) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT rec FROM identity_records WHERE dirty = 1 "
                                            "ORDER BY rec LIMIT ?"));
  std::vector<int64_t> recs;
  RETURN_IF_ERROR(st.Bind(1, static_cast<int64_t>(limit)).ForEachRow([&recs](const Statement& r) {
    recs.push_back(r.ColumnInt(0));
  }));
  return recs;
}

// The index work of one page of dirty records (step 2).
class IndexPage {
 public:
  IndexPage(IdentityIndex& index, const IdentityThresholds& thresholds)
      : index_(index), thresholds_(thresholds) {}

  // Replaces the keys of `dirty`, scores again the pairs of every record whose candidates may have
  // changed, applies the one-character rule where families changed. Returns the records to regroup.
  Result<std::set<int64_t>> Run(const std::vector<int64_t>& dirty) {
    RETURN_IF_ERROR(ReplaceKeys(dirty));
    RETURN_IF_ERROR(ScorePairsAgain());
    RETURN_IF_ERROR(ApplyOneCharacterRule());
    return std::move(seeds_);
  }

  size_t indexed() const { return indexed_; }
  // The records whose pairs were scored again.
  const std::set<int64_t>& rescored() const { return repair_; }
  // Records indexed whose fields make no identity (left alone, counted as unreadable).
  size_t unidentified() const { return unidentified_; }
  // Erased children's records indexed (keys and pairs gone): deleted once regrouped.
  const std::vector<int64_t>& erased() const { return erased_; }

 private:
  // Records whose keys change; records of a block that crossed the size limit must be paired again
  // too (their pairs through it appear or disappear).
  Status ReplaceKeys(const std::vector<int64_t>& dirty) {
    std::map<uint64_t, int> net;  // block key -> records gained (+) or lost (-) by this page
    std::vector<std::pair<int64_t, std::pair<IndexedKeys, IndexedKeys>>> changes;
    for (int64_t rec : dirty) {
      ASSIGN_OR_RETURN(IndexedKeys old_keys, index_.StoredKeys(rec));
      ASSIGN_OR_RETURN(const IndexedRecord* record, index_.Record(rec));
      IndexedKeys new_keys = record != nullptr ? index_.KeysOf(*record) : IndexedKeys{};
      if (record != nullptr && record->erased) erased_.push_back(rec);
      if (record != nullptr && !record->identity && !record->erased) ++unidentified_;
      for (uint64_t k : old_keys.blocking) --net[k];
      for (uint64_t k : new_keys.blocking) ++net[k];
      // Records that shared an exact key with it were in its component: regroup them too.
      RETURN_IF_ERROR(AddMembers(old_keys.exact, seeds_));
      for (const auto* keys : {&old_keys, &new_keys})
        family_keys_.insert(keys->family_lookup.begin(), keys->family_lookup.end());
      changes.push_back({rec, {std::move(old_keys), std::move(new_keys)}});
      repair_.insert(rec);
      seeds_.insert(rec);
      ++indexed_;
    }
    for (const auto& [rec, keys] : changes)
      RETURN_IF_ERROR(index_.ReplaceKeys(rec, keys.first, keys.second));
    for (const auto& [key, gained] : net) {
      if (gained == 0) continue;
      // Counted far enough to tell both sides of the limit (`before` is after - gained).
      const size_t cap = thresholds_.max_block + 1 + static_cast<size_t>(std::abs(gained));
      ASSIGN_OR_RETURN(std::vector<int64_t> members, index_.Members(key, cap));
      const auto after = static_cast<int64_t>(members.size());
      const int64_t before = after - gained;
      const auto limit = static_cast<int64_t>(thresholds_.max_block);
      if ((before > limit) != (after > limit)) RETURN_IF_ERROR(AddMembers({key}, repair_));
      if (after <= limit) blocks_.emplace(key, std::move(members));
    }
    return Status::Ok();
  }

  Status AddMembers(const std::vector<uint64_t>& keys, std::set<int64_t>& out) {
    for (uint64_t k : keys) {
      ASSIGN_OR_RETURN(std::vector<int64_t> members, index_.Members(k));
      out.insert(members.begin(), members.end());
    }
    return Status::Ok();
  }

  // Drops the pairs of every record in repair_ and scores its candidates again.
  Status ScorePairsAgain() {
    for (int64_t rec : repair_) {
      ASSIGN_OR_RETURN(std::vector<StoredPair> old_pairs, index_.PairsOf(rec));
      for (const StoredPair& p : old_pairs) {
        // A record linked to it was in its component, which may now split.
        if (PairLinks(p.kind)) seeds_.insert(p.a == rec ? p.b : p.a);
        RETURN_IF_ERROR(index_.RemovePair(p.a, p.b));
      }
      seeds_.insert(rec);
    }
    std::set<std::pair<int64_t, int64_t>> scored;
    for (int64_t rec : repair_) {
      ASSIGN_OR_RETURN(const IndexedRecord* x, index_.Record(rec));
      if (x == nullptr || !x->identity) continue;
      ASSIGN_OR_RETURN(std::set<int64_t> candidates, Candidates(*x));
      for (int64_t other : candidates) {
        if (other == rec || !scored.insert(std::minmax(rec, other)).second) continue;
        ASSIGN_OR_RETURN(const IndexedRecord* y, index_.Record(other));
        if (y == nullptr || !y->identity) continue;
        RETURN_IF_ERROR(Score(*x, *y));
      }
    }
    return Status::Ok();
  }

  // The records sharing a block with `r` that holds at most max_block records.
  Result<std::set<int64_t>> Candidates(const IndexedRecord& r) {
    std::set<int64_t> out;
    for (uint64_t k : index_.KeysOf(r).blocking) {
      auto known = blocks_.find(k);
      if (known == blocks_.end()) {
        ASSIGN_OR_RETURN(std::vector<int64_t> members,
                         index_.Members(k, thresholds_.max_block + 1));
        known = blocks_.emplace(k, std::move(members)).first;
      }
      if (known->second.size() > thresholds_.max_block) continue;
      out.insert(known->second.begin(), known->second.end());
    }
    return out;
  }

  // Scores the pair as the resolver does (the record with the smaller child_id first).
  Status Score(const IndexedRecord& x, const IndexedRecord& y) {
    const bool x_first = x.child_id < y.child_id;
    const IndexedRecord& first = x_first ? x : y;
    const IndexedRecord& second = x_first ? y : x;
    std::optional<IdentityCandidate> c =
        ScoreIdentityCandidate(*first.identity, *second.identity, thresholds_);
    if (!c) return Status::Ok();
    StoredPair p{std::min(x.rec, y.rec), std::max(x.rec, y.rec), c->score, c->reasons,
                 c->automatic       ? PairKind::kAutomatic
                 : c->one_character ? PairKind::kOneCharacterHeld
                                    : PairKind::kReview};
    if (PairLinks(p.kind)) seeds_.insert({x.rec, y.rec});
    if (PairIsOneCharacter(p.kind)) {
      one_character_.emplace(std::pair{p.a, p.b}, p);
      for (const IndexedRecord* end : {&x, &y}) {
        for (uint64_t k : index_.KeysOf(*end).family_lookup)
          RETURN_IF_ERROR(index_.WatchOneCharacter(k, p.a, p.b));
      }
    }
    return index_.PutPair(p);
  }

  // The one-character rule for the new such pairs and for those watched under a family key of a
  // changed record (a child who joins or leaves a family may be the partner).
  Status ApplyOneCharacterRule() {
    for (uint64_t k : family_keys_) {
      ASSIGN_OR_RETURN(auto watched, index_.WatchedOneCharacter(k));
      for (const auto& [a, b] : watched) {
        if (one_character_.contains({a, b})) continue;
        ASSIGN_OR_RETURN(std::optional<StoredPair> stored, StoredOneCharacterPair(a, b));
        if (stored) {
          one_character_.emplace(std::pair{a, b}, *stored);
        } else {
          RETURN_IF_ERROR(index_.UnwatchOneCharacter(k, a, b));
        }
      }
    }
    for (const auto& [ab, stored] : one_character_) RETURN_IF_ERROR(ApplyOneCharacterRule(stored));
    return Status::Ok();
  }

  // The stored pair (a, b) when the one-character rule applies to it.
  Result<std::optional<StoredPair>> StoredOneCharacterPair(int64_t a, int64_t b) {
    ASSIGN_OR_RETURN(std::vector<StoredPair> pairs, index_.PairsOf(a));
    for (const StoredPair& p : pairs) {
      if (p.a == a && p.b == b && PairIsOneCharacter(p.kind)) return std::optional(p);
    }
    return std::optional<StoredPair>();
  }

  // Links or holds a one-character pair as the family around its two records decides.
  Status ApplyOneCharacterRule(const StoredPair& stored) {
    const int64_t a = stored.a, b = stored.b;
    ASSIGN_OR_RETURN(const IndexedRecord* ra, index_.Record(a));
    ASSIGN_OR_RETURN(const IndexedRecord* rb, index_.Record(b));
    if (ra == nullptr || rb == nullptr || !ra->identity || !rb->identity) return Status::Ok();
    // Every record sharing a family key with either, and the two themselves (indexes 0 and 1).
    std::set<int64_t> family;
    RETURN_IF_ERROR(AddMembers(index_.KeysOf(*ra).family_lookup, family));
    RETURN_IF_ERROR(AddMembers(index_.KeysOf(*rb).family_lookup, family));
    std::vector<const IdentityRecord*> records = {&*ra->identity, &*rb->identity};
    for (int64_t rec : family) {
      if (rec == a || rec == b) continue;
      ASSIGN_OR_RETURN(const IndexedRecord* r, index_.Record(rec));
      if (r != nullptr && r->identity) records.push_back(&*r->identity);
    }
    const bool linked = !IdentityAnotherCloseChild(records, 0, 1);
    const PairKind kind = linked ? PairKind::kOneCharacterLinked : PairKind::kOneCharacterHeld;
    if (kind == stored.kind) return Status::Ok();
    StoredPair changed = stored;
    changed.kind = kind;
    changed.reasons = linked ? changed.reasons | kReasonNoOtherChildThatDay
                             : changed.reasons & ~uint32_t{kReasonNoOtherChildThatDay};
    seeds_.insert({a, b});
    return index_.PutPair(changed);
  }

  IdentityIndex& index_;
  const IdentityThresholds& thresholds_;
  std::set<int64_t> repair_;  // records whose pairs are scored again
  // Blocks read this page (key -> records, within the size limit unless more than max_block).
  std::map<uint64_t, std::vector<int64_t>> blocks_;
  std::set<uint64_t> family_keys_;
  // One-character pairs to decide this page, as stored (or just scored).
  std::map<std::pair<int64_t, int64_t>, StoredPair> one_character_;
  std::set<int64_t> seeds_;
  std::vector<int64_t> erased_;
  size_t indexed_ = 0;
  size_t unidentified_ = 0;
};

// Step 3: the pairs of supervisors' decisions made after progress.decisions_through.
Result<std::set<int64_t>> DecidedSince(Database& db, IdentityIndex& index, Progress& progress) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("SELECT decision_id, a, b FROM identity_decisions WHERE kind IN "
                              "('merge', 'separate', 'unmerge') AND decision_id > ? ORDER BY "
                              "decision_id"));
  std::vector<std::string> children;
  RETURN_IF_ERROR(st.Bind(1, progress.decisions_through).ForEachRow([&](const Statement& row) {
    progress.decisions_through = row.ColumnInt(0);
    children.push_back(row.ColumnText(1));
    children.push_back(row.ColumnText(2));
  }));
  std::set<int64_t> seeds;
  for (const std::string& child : children) {
    ASSIGN_OR_RETURN(std::optional<int64_t> rec, index.RecOf(child));
    if (rec) seeds.insert(*rec);
  }
  return seeds;
}

}  // namespace

Result<bool> IdentityGroupingCurrent(Database& db) {
  ASSIGN_OR_RETURN(Progress progress, ReadProgress(db));
  ASSIGN_OR_RETURN(int64_t now, ChildrenThroughSeq(db));
  return progress.through_seq == now;
}

Result<bool> IdentityBacklogAtMost(Database& db, int64_t records) {
  ASSIGN_OR_RETURN(
      Statement backlog,
      db.Prepare("SELECT (SELECT count(*) FROM (SELECT 1 FROM children WHERE change_seq > "
                 "coalesce((SELECT copied_seq FROM identity_refresh WHERE id = 1), 0) LIMIT ?1)) "
                 "+ (SELECT count(*) FROM (SELECT 1 FROM identity_records WHERE dirty = 1 LIMIT "
                 "?1))"));
  ASSIGN_OR_RETURN(bool row, backlog.Bind(1, records + 1).Step());
  return row && backlog.ColumnInt(0) <= records;
}

Result<bool> RefreshIdentitiesStep(Database& db, const RefreshStepBudget& budget,
                                   IdentityRefreshStats& stats) {
  const auto start = StepClock::now();
  auto in_budget = [&] { return StepClock::now() - start < budget.time; };
  ASSIGN_OR_RETURN(Progress progress, ReadProgress(db));
  ASSIGN_OR_RETURN(int64_t children_through, ChildrenThroughSeq(db));
  if (progress.through_seq == children_through) return false;
  stats.refreshed = true;
  // 1. Copy.
  if (progress.copied_seq < children_through) {
    do {
      ASSIGN_OR_RETURN(size_t read,
                       CopyChangedChildren(db, budget.children_per_page, progress, stats));
      if (read == 0) break;
    } while (in_budget());
    RETURN_IF_ERROR(WriteProgress(db, progress));
    return true;
  }
  ASSIGN_OR_RETURN(IdentityIndex index, IdentityIndex::Open(db));
  ASSIGN_OR_RETURN(IdentityDecisions decisions, LoadDecisions(db));
  // 2. Index.
  ASSIGN_OR_RETURN(std::vector<int64_t> dirty, DirtyRecords(db, budget.records_per_page));
  if (!dirty.empty()) {
    do {
      IndexPage page(index, budget.thresholds);
      ASSIGN_OR_RETURN(std::set<int64_t> seeds, page.Run(dirty));
      stats.records += page.indexed();
      stats.unreadable += page.unidentified();
      RETURN_IF_ERROR(RegroupIdentities(db, index, decisions, seeds, page.rescored(), stats));
      for (int64_t rec : page.erased()) RETURN_IF_ERROR(index.DeleteRecord(rec));
      if (!in_budget()) break;
      ASSIGN_OR_RETURN(dirty, DirtyRecords(db, budget.records_per_page));
    } while (!dirty.empty());
    return true;
  }
  // 3. Decisions, 4. current.
  ASSIGN_OR_RETURN(std::set<int64_t> decided, DecidedSince(db, index, progress));
  RETURN_IF_ERROR(RegroupIdentities(db, index, decisions, decided, {}, stats));
  progress.through_seq = progress.copied_seq;
  RETURN_IF_ERROR(WriteProgress(db, progress));
  return false;
}

Result<bool> RunRefreshStep(Database& db, const RefreshStepBudget& budget,
                            IdentityRefreshStats& stats) {
  const auto start = StepClock::now();
  ASSIGN_OR_RETURN(schema::Transaction tx, schema::Transaction::Begin(db));
  ASSIGN_OR_RETURN(bool more, RefreshIdentitiesStep(db, budget, stats));
  RETURN_IF_ERROR(tx.Commit());
  ++stats.steps;
  stats.longest_step_seconds = std::max(
      stats.longest_step_seconds, std::chrono::duration<double>(StepClock::now() - start).count());
  return more;
}

Status CountGrouping(Database& db, IdentityRefreshStats& stats) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("SELECT (SELECT count(DISTINCT person_id) FROM identity_persons), "
                              "(SELECT count(*) FROM identity_links), (SELECT count(*) FROM "
                              "identity_review)"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (row) {
    stats.persons = static_cast<size_t>(st.ColumnInt(0));
    stats.links = static_cast<size_t>(st.ColumnInt(1));
    stats.review = static_cast<size_t>(st.ColumnInt(2));
  }
  return Status::Ok();
}

Status MarkIdentityGroupingStale(Database& db) {
  return db.Exec("UPDATE identity_refresh SET through_seq = -1 WHERE id = 1");
}

Status StartIdentityRebuild(Database& db) {
  RETURN_IF_ERROR(db.Exec(
      "DELETE FROM identity_keys; DELETE FROM identity_pairs; "
      "UPDATE identity_records SET keys = NULL, dirty = 1 WHERE keys IS NOT NULL OR dirty = 0;"));
  return WriteProgress(db, Progress{0, 0, -1});
}

}  // namespace onecard::server
