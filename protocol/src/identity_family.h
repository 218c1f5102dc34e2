// The one-character rule of identity resolution. A name differing in one character of unrelated
// sound (or missing one) is how a registrar's slip looks, and also how twins' names look: same
// parents, same birth date, 思雨 and 思琪. Such a pair is linked automatically only when
//  1. everything else agrees strongly (OneCharacterPairQualifies): the same birth date, sex and
//     hukou area (or its prefecture), guardians agreeing (an ID number or a name) and none
//     differing, no two different ID numbers, and registered in different residence areas — the
//     case PRODUCT.md section 9 is about, a child registered at the sending and at the receiving
//     end; two registrations at one site a character apart are two children the registrar saw; and
//  2. the family shows no other child who could be the partner (IdentityFamilies): no third
//     record of either family born on a close date with a name within one character of either.
// What remains doubtful is twins registered once each, one at each end, one without an ID number:
// nothing in the records tells them from one child registered twice (docs:
// protocol/docs/identity.md).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "onecard/protocol/identity_record.h"
#include "onecard/protocol/identity_score.h"

namespace onecard::identity_internal {

// Condition 1, on the pair's score `m` (ScoreIdentityPair(a, b)).
bool OneCharacterPairQualifies(const IdentityRecord& a, const IdentityRecord& b,
                               const IdentityMatch& m);

// The records of each family. A family key is a guardian's citizen ID number, or a father's or
// mother's name (its toneless sound): records sharing one are taken as one family's children. A
// common parent's name may put unrelated children in one family; that only makes the rule more
// careful. Indexed with the child's birth year and with its month and day, so that a date with one
// error still meets its family.
class IdentityFamilies {
 public:
  // `records` by rank; they must outlive this object.
  explicit IdentityFamilies(const std::vector<const IdentityRecord*>& records);

  // True when a record other than `a` and `b` (ranks), of a's or b's family, has a birth date
  // within one error (same, day and month swapped, one digit) and a name within one character
  // of a's or b's: another child who could be the partner.
  bool AnotherCloseChild(std::uint32_t a, std::uint32_t b) const;

 private:
  template <typename Fn>
  void ForEachKey(const IdentityRecord& r, Fn&& fn) const;

  const std::vector<const IdentityRecord*>& records_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> index_;  // (key, rank), sorted
};

}  // namespace onecard::identity_internal
