#include "identity_family.h"

#include <algorithm>

#include "identity_key_hash.h"

namespace onecard::identity_internal {
namespace {

enum FamilyTag : std::uint64_t { kGuardianId = 101, kParentName };
enum DateTag : std::uint64_t { kYear = 1, kMonthDay };

bool Close(const IdentityRecord& x, const IdentityRecord& y) {
  IdentityMatch m = ScoreIdentityPair(x, y);
  return !(m.reasons & (kReasonNameDiffers | kReasonBirthDiffers));
}

}  // namespace

bool OneCharacterPairQualifies(const IdentityRecord& a, const IdentityRecord& b,
                               const IdentityMatch& m) {
  constexpr std::uint32_t kRequired = kReasonNameOneCharacterDiffers | kReasonBirthSame;
  constexpr std::uint32_t kRefused =
      kReasonSexDiffers | kReasonGuardianDiffers | kReasonIdNumbersDiffer | kReasonNameDiffers;
  return (m.reasons & kRequired) == kRequired && !(m.reasons & kRefused) &&
         (m.reasons & (kReasonGuardianIdSame | kReasonGuardianNameSame)) &&
         (m.reasons & (kReasonHukouSame | kReasonHukouNear)) &&
         a.residence_area != b.residence_area;
}

template <typename Fn>
void IdentityFamilies::ForEachKey(const IdentityRecord& r, Fn&& fn) const {
  const CivilDate& d = r.birth_date;
  auto with_dates = [&](const KeyHash& family) {
    fn(KeyHash(family).Add(kYear).Add(d.year).Done());
    fn(KeyHash(family).Add(kMonthDay).Add(d.month).Add(d.day).Done());
  };
  for (const IdentityGuardian& g : r.guardians) {
    if (!g.id_number.empty()) with_dates(KeyHash(kGuardianId).Add(g.id_number));
    if (g.relation == GuardianRelation::kFather || g.relation == GuardianRelation::kMother) {
      KeyHash h(kParentName);
      h.Add(static_cast<std::uint64_t>(g.relation));
      with_dates(AddNameSound(h, g.name));
    }
  }
}

IdentityFamilies::IdentityFamilies(const std::vector<const IdentityRecord*>& records)
    : records_(records) {
  for (std::uint32_t r = 0; r < records.size(); ++r) {
    ForEachKey(*records[r], [&](std::uint64_t key) { index_.emplace_back(key, r); });
  }
  std::sort(index_.begin(), index_.end());
}

bool IdentityFamilies::AnotherCloseChild(std::uint32_t a, std::uint32_t b) const {
  const IdentityRecord& ra = *records_[a];
  const IdentityRecord& rb = *records_[b];
  bool found = false;
  auto look = [&](std::uint64_t key) {
    auto it = std::lower_bound(index_.begin(), index_.end(), std::pair{key, 0u});
    for (; !found && it != index_.end() && it->first == key; ++it) {
      std::uint32_t c = it->second;
      if (c == a || c == b) continue;
      found = Close(*records_[c], ra) || Close(*records_[c], rb);
    }
  };
  ForEachKey(ra, look);
  ForEachKey(rb, look);
  return found;
}

}  // namespace onecard::identity_internal
