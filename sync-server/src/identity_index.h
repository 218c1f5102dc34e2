// The server's identity index (docs/identity-server.md, "Incremental resolution"): what a refresh
// keeps between runs so that it redoes only what changed records touch. identity_records gives
// each record a number (`rec`); identity_keys holds every record's blocking and exact keys
// (protocol identity_steps.h); identity_pairs the candidate pairs that scored at least the review
// threshold, with what the resolver made of them. This file reads and writes those tables;
// identity_refresh_step.h decides what to redo, identity_regroup.h regroups.
//
// Embedded backend; one IdentityIndex serves one transaction (its statements and parsed records
// belong to it). Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "onecard/protocol/identity_record.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"

namespace onecard::server {

// The fields an erased child's identity record keeps until a refresh step has taken it out of its
// part (server_erasure.cc); the step then deletes the record.
inline constexpr std::string_view kErasedIdentityFields = R"({"erased":true})";

// A record of identity_records as the index sees it.
struct IndexedRecord {
  int64_t rec = 0;
  std::string child_id;
  uint64_t recency = 0;                    // the greatest HLC of the child's fields
  std::optional<IdentityRecord> identity;  // none when its fields do not make one
  bool erased = false;                     // its fields are kErasedIdentityFields
};

// The keys a record is indexed under, kept with it (identity_records.keys) so that they can be
// taken out of identity_keys after its fields change. Each list sorted, without repeats.
struct IndexedKeys {
  std::vector<uint64_t> blocking;       // IdentityBlockingKeys: in identity_keys
  std::vector<uint64_t> exact;          // IdentityExactKeys: in identity_keys
  std::vector<uint64_t> family_lookup;  // IdentityFamilyLookupKeys: only looked up

  static IndexedKeys Of(const IdentityRecord& record);
  Bytes Encode() const;
  // The keys of a stored blob; none (all empty) for an empty or malformed one.
  static IndexedKeys Decode(std::span<const uint8_t> blob);
};

// What the resolver made of a stored pair.
enum class PairKind : int64_t {
  kReview = 0,              // scored for review only
  kAutomatic = 1,           // may be linked by its score
  kOneCharacterHeld = 2,    // the one-character rule would link it, but the family forbids
  kOneCharacterLinked = 3,  // linked by the one-character rule
};
inline bool PairLinks(PairKind kind) {
  return kind == PairKind::kAutomatic || kind == PairKind::kOneCharacterLinked;
}
inline bool PairIsOneCharacter(PairKind kind) {
  return kind == PairKind::kOneCharacterHeld || kind == PairKind::kOneCharacterLinked;
}

// A stored pair; a < b (recs).
struct StoredPair {
  int64_t a = 0, b = 0;
  double score = 0;
  uint32_t reasons = 0;
  PairKind kind = PairKind::kReview;
};

class IdentityIndex {
 public:
  static Result<IdentityIndex> Open(schema::Database& db);
  IdentityIndex(IdentityIndex&&) noexcept;
  ~IdentityIndex();

  // The record numbered `rec`, its fields parsed once for this object; nullptr when there is none.
  Result<const IndexedRecord*> Record(int64_t rec);
  // The number of child_id's record; none when it has no identity record.
  Result<std::optional<int64_t>> RecOf(const std::string& child_id);
  // The keys stored with `rec` (empty when it has none).
  Result<IndexedKeys> StoredKeys(int64_t rec);
  // The keys `record`'s current fields give (all empty without an identity), worked out once for
  // this object: a page asks for them when re-keying, finding candidates and watching families.
  const IndexedKeys& KeysOf(const IndexedRecord& record);

  // The records under `key`, at most `cap` of them (so a huge block costs no more).
  Result<std::vector<int64_t>> Members(uint64_t key, size_t cap = SIZE_MAX);
  // Replaces `rec`'s keys in identity_keys and identity_records.keys, and marks it indexed.
  Status ReplaceKeys(int64_t rec, const IndexedKeys& old_keys, const IndexedKeys& new_keys);

  // Deletes the record `rec` (an erased child's, once out of its part).
  Status DeleteRecord(int64_t rec);

  // The pairs stored with `rec` at either end.
  Result<std::vector<StoredPair>> PairsOf(int64_t rec);
  Status PutPair(const StoredPair& pair);
  Status RemovePair(int64_t a, int64_t b);

  // The one-character rule's watch list: each such pair under the family lookup keys of both its
  // records, so that a change in a family finds the pairs it may decide. Rows of pairs that no
  // longer exist are harmless and removed when found (UnwatchOneCharacter).
  Status WatchOneCharacter(uint64_t key, int64_t a, int64_t b);
  Result<std::vector<std::pair<int64_t, int64_t>>> WatchedOneCharacter(uint64_t key);
  Status UnwatchOneCharacter(uint64_t key, int64_t a, int64_t b);

 private:
  struct Statements;
  explicit IdentityIndex(std::unique_ptr<Statements> st);
  std::unique_ptr<Statements> st_;
  std::unordered_map<int64_t, std::unique_ptr<IndexedRecord>> records_;
  std::unordered_map<int64_t, IndexedKeys> keys_;  // KeysOf, by rec
};

}  // namespace onecard::server
