#include "onecard/protocol/identity_resolver.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "identity_family.h"
#include "identity_key_hash.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/identity_steps.h"

namespace onecard {
namespace {

using identity_internal::KeyHash;
using identity_internal::SoundOf;

class DisjointSets {
 public:
  explicit DisjointSets(std::size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), 0u);
  }
  std::uint32_t Find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  // Joins the sets of x and y; returns the new root.
  std::uint32_t Union(std::uint32_t x, std::uint32_t y) {
    x = Find(x);
    y = Find(y);
    if (x != y) parent_[std::max(x, y)] = std::min(x, y);
    return std::min(x, y);
  }

 private:
  std::vector<std::uint32_t> parent_;
};

enum KeyTag : std::uint64_t {
  kNameDate = 1,
  kNameYear,
  kNameMonthDay,
  kNameDeletionDate,
  kGuardianIdSex,
  kParentNameYear,
  kParentNameMonthDay,
  kExactIdNumber = 201,
  kExactCardSerial,
};

// The key of a parent's name: relation, sex and the name's sound (dates are added by the caller).
KeyHash ParentKey(const IdentityGuardian& g, std::uint64_t sex) {
  KeyHash parent(kParentNameYear);
  identity_internal::AddNameSound(parent.Add(static_cast<std::uint64_t>(g.relation)).Add(sex),
                                  g.name);
  return parent;
}

bool IsParent(const IdentityGuardian& g) {
  return g.relation == GuardianRelation::kFather || g.relation == GuardianRelation::kMother;
}

void EmitKeys(const IdentityRecord& r, std::uint32_t rank,
              std::vector<std::pair<std::uint64_t, std::uint32_t>>& out) {
  const CivilDate& d = r.birth_date;
  int lo = std::min(d.month, d.day), hi = std::max(d.month, d.day);
  auto with_name = [&](KeyHash h, std::size_t skip) {
    for (std::size_t i = 0; i < r.name.size(); ++i) {
      if (i != skip) h.Add(SoundOf(r.name[i]));
    }
    return h.Add(r.name.size() - (skip < r.name.size() ? 1 : 0)).Done();
  };
  auto sex = static_cast<std::uint64_t>(r.sex);
  const std::size_t kNone = r.name.size();
  out.emplace_back(with_name(KeyHash(kNameDate).Add(sex).Add(d.year).Add(lo).Add(hi), kNone), rank);
  out.emplace_back(with_name(KeyHash(kNameYear).Add(sex).Add(d.year), kNone), rank);
  out.emplace_back(with_name(KeyHash(kNameMonthDay).Add(sex).Add(d.month).Add(d.day), kNone), rank);
  // The children of one sex of a family (a guardian's ID number): a name error and a date error
  // together defeat every key above, the family does not change.
  for (const IdentityGuardian& g : r.guardians) {
    if (!g.id_number.empty())
      out.emplace_back(KeyHash(kGuardianIdSex).Add(g.id_number).Add(sex).Done(), rank);
    if (!IsParent(g)) continue;
    // When no ID number is shared: a parent's name with the birth year, or with the month and day
    // (a one-digit typo keeps one of them).
    KeyHash parent = ParentKey(g, sex);
    out.emplace_back(KeyHash(parent).Add(d.year).Done(), rank);
    out.emplace_back(KeyHash(parent).Add(kParentNameMonthDay).Add(d.month).Add(d.day).Done(), rank);
  }
  if (r.name.size() < 2) return;
  KeyHash deletion = KeyHash(kNameDeletionDate).Add(sex).Add(d.year).Add(lo).Add(hi);
  // The whole name under the deletion tag too: a name missing one character meets it.
  out.emplace_back(with_name(deletion, kNone), rank);
  for (std::size_t i = 0; i < r.name.size(); ++i) out.emplace_back(with_name(deletion, i), rank);
}

struct ScoredPair {
  double score;
  std::uint32_t a, b;  // ranks, a < b
  std::uint32_t reasons;
  bool automatic;
};

// The records in rank order (by record_id), so that nothing depends on the order of Add().
class RankedRecords {
 public:
  // `by_rank` sorted by record_id; the records must outlive this object.
  explicit RankedRecords(std::vector<const IdentityRecord*> by_rank)
      : by_rank_(std::move(by_rank)) {}
  static RankedRecords Sorting(const std::vector<IdentityRecord>& records) {
    std::vector<const IdentityRecord*> by_rank;
    by_rank.reserve(records.size());
    for (const IdentityRecord& r : records) by_rank.push_back(&r);
    std::sort(by_rank.begin(), by_rank.end(), [](const IdentityRecord* x, const IdentityRecord* y) {
      return x->record_id < y->record_id;
    });
    return RankedRecords(std::move(by_rank));
  }
  std::size_t size() const { return by_rank_.size(); }
  const IdentityRecord& operator()(std::uint32_t rank) const { return *by_rank_[rank]; }
  const std::vector<const IdentityRecord*>& by_rank() const { return by_rank_; }

 private:
  std::vector<const IdentityRecord*> by_rank_;
};

// The clusters of ranks joined so far, each with the ID number it carries.
class IdClusters {
 public:
  explicit IdClusters(const RankedRecords& rec) : sets_(rec.size()), id_(rec.size()) {
    for (std::uint32_t r = 0; r < rec.size(); ++r) id_[r] = rec(r).id_number;
  }
  std::uint32_t Find(std::uint32_t x) { return sets_.Find(x); }
  // Joins the clusters of x and y; the joined cluster carries their ID number, or kConflict when
  // they carried two.
  void Join(std::uint32_t x, std::uint32_t y) {
    std::string_view ix = id_[sets_.Find(x)], iy = id_[sets_.Find(y)];
    std::string_view joined = ix.empty() ? iy : iy.empty() || ix == iy ? ix : kConflict;
    id_[sets_.Union(x, y)] = joined;
  }
  // True when the clusters of the roots rx and ry may not be joined: they carry two ID numbers.
  bool IdNumbersConflict(std::uint32_t rx, std::uint32_t ry) const {
    std::string_view ix = id_[rx], iy = id_[ry];
    return ix == kConflict || iy == kConflict || (!ix.empty() && !iy.empty() && ix != iy);
  }

 private:
  static constexpr std::string_view kConflict = "!";
  DisjointSets sets_;
  // The ID number a cluster carries (by root), empty when none; kConflict when two.
  std::vector<std::string_view> id_;
};

// 1. Exact keys: joins the records of one ID number or one card serial and links each to the first
// (in rank order) with that key.
void LinkExactKeys(const RankedRecords& rec, IdClusters& clusters,
                   std::vector<IdentityPair>& links) {
  for (auto [field, reason] : {std::pair{&IdentityRecord::id_number, kReasonSameIdNumber},
                               std::pair{&IdentityRecord::card_serial, kReasonSameCardSerial}}) {
    std::unordered_map<std::string_view, std::uint32_t> first;
    for (std::uint32_t r = 0; r < rec.size(); ++r) {
      const std::string& key = rec(r).*field;
      if (key.empty()) continue;
      auto [it, inserted] = first.emplace(key, r);
      if (inserted) continue;
      if (clusters.Find(it->second) != clusters.Find(r)) clusters.Join(it->second, r);
      links.push_back({rec(it->second).record_id, rec(r).record_id, 0, reason});
    }
  }
}

// 2. Blocking: the pairs of ranks (a << 32 | b, a < b; sorted, each once) that share a blocking key
// (EmitKeys). A block of more than `max_block` records yields no pairs; it counts in
// `skipped_blocks`.
std::vector<std::uint64_t> CandidatePairs(const RankedRecords& rec, std::size_t max_block,
                                          std::size_t& skipped_blocks) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;
  keys.reserve(rec.size() * 8);
  for (std::uint32_t r = 0; r < rec.size(); ++r) EmitKeys(rec(r), r, keys);
  std::sort(keys.begin(), keys.end());
  // A record emitting a key twice is one record of its block (as in the server's index).
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<std::uint64_t> pairs;
  for (std::size_t begin = 0; begin < keys.size();) {
    std::size_t end = begin + 1;
    while (end < keys.size() && keys[end].first == keys[begin].first) ++end;
    if (end - begin > max_block) {
      ++skipped_blocks;
    } else {
      for (std::size_t i = begin; i < end; ++i) {
        for (std::size_t j = i + 1; j < end; ++j) {
          std::uint64_t x = keys[i].second, y = keys[j].second;
          if (x != y) pairs.push_back(std::min(x, y) << 32 | std::max(x, y));
        }
      }
    }
    begin = end;
  }
  std::vector<std::pair<std::uint64_t, std::uint32_t>>().swap(keys);
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

struct ScoredPairs {
  std::vector<ScoredPair> kept;            // the pairs scoring at least thresholds.review
  std::vector<std::size_t> one_character;  // indexes in `kept` of pairs the family may allow
};

// 3. Scoring: the candidate pairs worth a link or a review, in the order of `pairs`.
ScoredPairs ScorePairs(const RankedRecords& rec, const std::vector<std::uint64_t>& pairs,
                       const IdentityThresholds& thresholds) {
  ScoredPairs scored;
  for (std::uint64_t p : pairs) {
    auto a = static_cast<std::uint32_t>(p >> 32), b = static_cast<std::uint32_t>(p);
    std::optional<IdentityCandidate> c = ScoreIdentityCandidate(rec(a), rec(b), thresholds);
    if (!c) continue;
    if (c->one_character) scored.one_character.push_back(scored.kept.size());
    scored.kept.push_back({c->score, a, b, c->reasons, c->automatic});
  }
  return scored;
}

// Makes automatic each pair of `scored.one_character` when no other child of the family is close to
// it (kReasonNoOtherChildThatDay).
void AllowOneCharacterPairs(const RankedRecords& rec, ScoredPairs& scored) {
  if (scored.one_character.empty()) return;
  identity_internal::IdentityFamilies families(rec.by_rank());
  for (std::size_t i : scored.one_character) {
    ScoredPair& p = scored.kept[i];
    if (families.AnotherCloseChild(p.a, p.b)) continue;
    p.automatic = true;
    p.reasons |= kReasonNoOtherChildThatDay;
  }
}

// By decreasing score, ties by pair.
void SortByScore(std::vector<ScoredPair>& kept) {
  std::sort(kept.begin(), kept.end(), [](const ScoredPair& x, const ScoredPair& y) {
    if (x.score != y.score) return x.score > y.score;
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
}

// Joins the automatic pairs in the order of `kept`, each unless its clusters carry two ID numbers:
// such a pair is no longer automatic (kReasonConflictingIdNumbers).
void LinkAutomaticPairs(const RankedRecords& rec, std::vector<ScoredPair>& kept,
                        IdClusters& clusters, std::vector<IdentityPair>& links) {
  for (ScoredPair& p : kept) {
    if (!p.automatic) continue;
    std::uint32_t ra = clusters.Find(p.a), rb = clusters.Find(p.b);
    if (ra == rb) continue;
    if (clusters.IdNumbersConflict(ra, rb)) {
      p.automatic = false;
      p.reasons |= kReasonConflictingIdNumbers;
      continue;
    }
    clusters.Join(p.a, p.b);
    links.push_back({rec(p.a).record_id, rec(p.b).record_id, p.score, p.reasons});
  }
}

// The pairs not linked whose records remain in two clusters, in the order of `kept`.
void ListForReview(const RankedRecords& rec, const std::vector<ScoredPair>& kept,
                   IdClusters& clusters, std::vector<IdentityPair>& review) {
  for (const ScoredPair& p : kept) {
    if (p.automatic || clusters.Find(p.a) == clusters.Find(p.b)) continue;
    review.push_back({rec(p.a).record_id, rec(p.b).record_id, p.score, p.reasons});
  }
}

// The clusters of two or more records, in rank order (ranks are sorted by record_id).
void ListClusters(const RankedRecords& rec, IdClusters& clusters,
                  std::vector<std::vector<std::string>>& out) {
  const std::size_t n = rec.size();
  std::vector<std::uint32_t> size(n, 0);
  for (std::uint32_t r = 0; r < n; ++r) ++size[clusters.Find(r)];
  std::vector<std::int64_t> index(n, -1);
  for (std::uint32_t r = 0; r < n; ++r) {
    std::uint32_t root = clusters.Find(r);
    if (size[root] < 2) continue;
    if (index[root] < 0) {
      index[root] = static_cast<std::int64_t>(out.size());
      out.emplace_back();
    }
    out[static_cast<std::size_t>(index[root])].push_back(rec(r).record_id);
  }
}

// Steps 1 and 3's linking and the review list over scored pairs (automatic final).
IdentityResolution Cluster(const RankedRecords& rec, std::vector<ScoredPair> kept) {
  IdentityResolution result;
  IdClusters clusters(rec);
  LinkExactKeys(rec, clusters, result.links);
  SortByScore(kept);
  LinkAutomaticPairs(rec, kept, clusters, result.links);
  ListForReview(rec, kept, clusters, result.review);
  std::sort(result.links.begin(), result.links.end(),
            [](const IdentityPair& x, const IdentityPair& y) {
              return std::tie(x.a, x.b) < std::tie(y.a, y.b);
            });
  ListClusters(rec, clusters, result.clusters);
  return result;
}

}  // namespace

std::vector<std::uint64_t> IdentityBlockingKeys(const IdentityRecord& r) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> emitted;
  EmitKeys(r, 0, emitted);
  std::vector<std::uint64_t> keys;
  keys.reserve(emitted.size());
  for (const auto& [key, rank] : emitted) keys.push_back(key);
  return keys;
}

std::vector<std::uint64_t> IdentityExactKeys(const IdentityRecord& r) {
  std::vector<std::uint64_t> keys;
  if (!r.id_number.empty()) keys.push_back(KeyHash(kExactIdNumber).Add(r.id_number).Done());
  if (!r.card_serial.empty()) keys.push_back(KeyHash(kExactCardSerial).Add(r.card_serial).Done());
  return keys;
}

std::vector<std::uint64_t> IdentityFamilyLookupKeys(const IdentityRecord& r) {
  // IdentityFamilies (identity_family.cc) takes as one family the records sharing a guardian's ID
  // number, or a parent's name with the birth year or the month and day: EmitKeys's family keys
  // hold them, one block per sex.
  std::vector<std::uint64_t> keys;
  const CivilDate& d = r.birth_date;
  for (const IdentityGuardian& g : r.guardians) {
    for (std::uint64_t sex : {std::uint64_t{'M'}, std::uint64_t{'F'}}) {
      if (!g.id_number.empty())
        keys.push_back(KeyHash(kGuardianIdSex).Add(g.id_number).Add(sex).Done());
      if (!IsParent(g)) continue;
      KeyHash parent = ParentKey(g, sex);
      keys.push_back(KeyHash(parent).Add(d.year).Done());
      keys.push_back(KeyHash(parent).Add(kParentNameMonthDay).Add(d.month).Add(d.day).Done());
    }
  }
  return keys;
}

std::optional<IdentityCandidate> ScoreIdentityCandidate(const IdentityRecord& a,
                                                        const IdentityRecord& b,
                                                        const IdentityThresholds& thresholds) {
  IdentityMatch m = ScoreIdentityPair(a, b);
  if (m.score < thresholds.review) return std::nullopt;
  IdentityCandidate c{m.score, m.reasons, m.automatic_allowed && m.score >= thresholds.link, false};
  c.one_character = !c.automatic && identity_internal::OneCharacterPairQualifies(a, b, m);
  return c;
}

bool IdentityAnotherCloseChild(const std::vector<const IdentityRecord*>& records, std::uint32_t a,
                               std::uint32_t b) {
  return identity_internal::IdentityFamilies(records).AnotherCloseChild(a, b);
}

IdentityResolution ClusterIdentities(const std::vector<const IdentityRecord*>& records,
                                     std::vector<IdentityScoredPair> pairs) {
  std::vector<ScoredPair> kept;
  kept.reserve(pairs.size());
  for (const IdentityScoredPair& p : pairs)
    kept.push_back({p.score, p.a, p.b, p.reasons, p.automatic});
  std::vector<IdentityScoredPair>().swap(pairs);
  return Cluster(RankedRecords(records), std::move(kept));
}

IdentityResolver::IdentityResolver(IdentityThresholds thresholds) : thresholds_(thresholds) {}

Status IdentityResolver::Add(IdentityRecord record) {
  if (record.record_id.empty() || record.name.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("身份识别记录缺少编号或姓名", "identity record without an id or a name"));
  }
  if (!ids_.insert(record.record_id).second) {
    return Status(ErrorCode::kAlreadyExists, Tr("重复的记录编号 " + record.record_id,
                                                "duplicate record id " + record.record_id));
  }
  records_.push_back(std::move(record));
  return Status::Ok();
}

IdentityResolution IdentityResolver::Resolve() const {
  const RankedRecords rec = RankedRecords::Sorting(records_);
  std::size_t skipped_blocks = 0;
  std::vector<std::uint64_t> pairs = CandidatePairs(rec, thresholds_.max_block, skipped_blocks);
  const std::size_t candidate_pairs = pairs.size();
  ScoredPairs scored = ScorePairs(rec, pairs, thresholds_);
  std::vector<std::uint64_t>().swap(pairs);  // freed before the families are built
  AllowOneCharacterPairs(rec, scored);
  IdentityResolution result = Cluster(rec, std::move(scored.kept));
  result.candidate_pairs = candidate_pairs;
  result.skipped_blocks = skipped_blocks;
  return result;
}

}  // namespace onecard
