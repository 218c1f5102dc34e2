// IdentityResolver: recognises registrations of the same child (PRODUCT.md section 9).
//
//  1. Exact keys: records with the same citizen ID number or the same card serial are one child.
//  2. Blocking: other candidate pairs are records sharing a blocking key — the same sex and
//     toneless pinyin of the name together with the birth date (day and month in either order),
//     the birth year alone, or the month and day alone (a typo in one digit keeps one of them);
//     and, for one differing character, the same name with that character masked and the birth
//     date; and the family: the same sex and a guardian's ID number, or a father's or mother's
//     name with the birth year or the month and day (a name error and a date error together
//     defeat the other keys). A key shared by more than `max_block` records is skipped (counted
//     in the result).
//  3. Scoring (identity_score.h): pairs scoring at least `link` (and allowed to link
//     automatically) are linked, in order of decreasing score, unless the link would put two
//     different ID numbers in one cluster; pairs scoring at least `review` that stay in different
//     clusters go to the review queue.
//  4. The one-character rule: a pair whose names differ in one character of unrelated sound is
//     linked too (reason kReasonNoOtherChildThatDay) when everything else agrees — same birth
//     date, sex and hukou area, a guardian in common and none differing, registered in different
//     residence areas — and neither record's family (records sharing a guardian's ID number or a
//     parent's name) has a third record born on a date within one error whose name is within one
//     character of either: then no twin could be the partner. Otherwise it is reviewed.
// The result depends only on the set of records, not on the order they were added in.
//
// Not thread-safe: one thread adds and resolves. Resolve() does not modify the resolver.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "onecard/protocol/identity_record.h"
#include "onecard/protocol/identity_score.h"
#include "onecard/protocol/status.h"

namespace onecard {

struct IdentityThresholds {
  double link = 14;   // at or above: linked automatically
  double review = 8;  // at or above (and below link, or not allowed to link): review queue
  std::size_t max_block = 500;
};

// A scored pair of records (a < b by record_id).
struct IdentityPair {
  std::string a, b;
  double score = 0;
  std::uint32_t reasons = 0;  // IdentityReason bits
};

struct IdentityResolution {
  // Every cluster of two or more records (records not listed are alone), each sorted by
  // record_id, clusters sorted by their first record_id.
  std::vector<std::vector<std::string>> clusters;
  // The links that formed the clusters: exact-key links (score 0, reason kReasonSameIdNumber or
  // kReasonSameCardSerial) and automatic links (their score), sorted by (a, b).
  std::vector<IdentityPair> links;
  // Doubtful pairs for a supervisor, in different clusters, sorted by decreasing score then (a, b).
  std::vector<IdentityPair> review;
  // Work done, for reports.
  std::size_t candidate_pairs = 0;
  std::size_t skipped_blocks = 0;
};

class IdentityResolver {
 public:
  explicit IdentityResolver(IdentityThresholds thresholds = {});

  // Takes a record. kAlreadyExists when its record_id was added before (nothing changes);
  // kInvalidArgument when the record_id or the name is empty.
  Status Add(IdentityRecord record);
  std::size_t size() const { return records_.size(); }

  IdentityResolution Resolve() const;

 private:
  IdentityThresholds thresholds_;
  std::vector<IdentityRecord> records_;
  std::unordered_set<std::string> ids_;
};

}  // namespace onecard
