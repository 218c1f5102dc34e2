// The match score of two registrations that carry no common card serial or citizen ID number:
// a sum of evidence weights (log-likelihood style, positive = same child) for name, birth date,
// sex, hukou area and guardians, with the reasons that produced it.
//
// Weights (see docs in identity_resolver.h for the thresholds):
//   name     same Han characters (after folding traditional forms) +8; same toned pinyin +6; same
//            toneless pinyin +5; one character of near sound (fuzzy pinyin) +4.5; one character
//            different, or one missing, 0 and not automatic by score (twins' names differ like
//            this; the resolver's one-character rule may still link it);
//            otherwise -10
//   birth    same date +5; day and month swapped +3; one digit different +2.5; otherwise -10
//   sex      same +1; different -8
//   hukou    same county +2; one code contains the other (coarser level) +1.5; same prefecture +1;
//            same province 0; different province -4
//   ID       both present and different -20 (distinct people)
//   guardians, per relation both records name (father, mother; others by name): same ID number
//            +6, both IDs present and different -6, else same name (or same pinyin) +4, different
//            name -5; the sum is clamped to [-10, +6]. A shared parent makes the pair one family's
//            children, and a family's children differ in birth date (by a year or more) and in
//            name: a name one error away (homophone, near sound) with a date one error away
//            (swapped, one digit) is the same child when a parent agrees.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "onecard/protocol/identity_record.h"

namespace onecard {

// Reasons, as bits of IdentityMatch::reasons.
enum IdentityReason : std::uint32_t {
  kReasonSameIdNumber = 1u << 0,
  kReasonSameCardSerial = 1u << 1,
  kReasonNameSame = 1u << 2,
  kReasonNameTraditionalForm = 1u << 3,
  kReasonNameTonedHomophone = 1u << 4,
  kReasonNameHomophone = 1u << 5,
  kReasonNameNearSound = 1u << 6,
  kReasonNameOneCharacterDiffers = 1u << 7,
  kReasonNameDiffers = 1u << 8,
  kReasonBirthSame = 1u << 9,
  kReasonBirthDayMonthSwapped = 1u << 10,
  kReasonBirthOneDigit = 1u << 11,
  kReasonBirthDiffers = 1u << 12,
  kReasonSexDiffers = 1u << 13,
  kReasonHukouSame = 1u << 14,
  kReasonHukouNear = 1u << 15,
  kReasonHukouOtherProvince = 1u << 16,
  kReasonIdNumbersDiffer = 1u << 17,
  kReasonGuardianIdSame = 1u << 18,
  kReasonGuardianNameSame = 1u << 19,
  kReasonGuardianDiffers = 1u << 20,
  kReasonConflictingIdNumbers = 1u << 21,  // set by the resolver: a link would join two ID numbers
  // Set by the resolver: a name one character apart linked because neither family has another
  // child born that day who could be the partner (identity_resolver.h).
  kReasonNoOtherChildThatDay = 1u << 22,
};

struct IdentityMatch {
  double score = 0;
  std::uint32_t reasons = 0;
  // False when the score alone must not link automatically (a name differing in a character of
  // unrelated sound: twins look exactly like this); the resolver links such a pair only by its
  // one-character rule (identity_resolver.h).
  bool automatic_allowed = true;
};

IdentityMatch ScoreIdentityPair(const IdentityRecord& a, const IdentityRecord& b);

// The reasons as one line for a supervisor, in the user's language, e.g.
// "姓名同音；出生日期相同；…" / "name sounds the same; same birth date; …".
std::string DescribeIdentityReasons(std::uint32_t reasons);

}  // namespace onecard
