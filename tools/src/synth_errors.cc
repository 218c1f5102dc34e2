#include "onecard/tools/synth_errors.h"

#include <vector>

#include "onecard/protocol/identity_han.h"
#include "onecard/tools/synth_names.h"

namespace onecard::synth {
namespace {

bool Replaceable(char32_t c) { return c != U'·' && ReadingOfHan(c).syllable != 0; }

}  // namespace

std::optional<std::u32string> WithNameError(const std::u32string& name, NameError kind,
                                            SynthRandom& rng) {
  if (kind == NameError::kTraditional) {
    std::u32string out;
    for (char32_t c : name) out.push_back(TraditionalHan(c));
    if (out == name) return std::nullopt;
    return out;
  }
  // Positions of the given name (the surname is the first character of a Han name).
  std::vector<std::size_t> positions;
  for (std::size_t i = name.find(U'·') == std::u32string::npos ? 1 : 0; i < name.size(); ++i) {
    if (Replaceable(name[i])) positions.push_back(i);
  }
  if (positions.empty()) return std::nullopt;
  std::size_t start = rng.Below(positions.size());
  for (std::size_t k = 0; k < positions.size(); ++k) {
    std::size_t pos = positions[(start + k) % positions.size()];
    HanReading original = ReadingOfHan(name[pos]);
    std::vector<char32_t> candidates;
    for (char32_t c : CommonNameCharacters()) {
      if (c == name[pos]) continue;
      HanReading r = ReadingOfHan(c);
      bool fits = kind == NameError::kHomophone ? r.syllable == original.syllable
                  : kind == NameError::kNearSound
                      ? NearPinyinSyllables(r.syllable, original.syllable)
                      : r.syllable != original.syllable &&
                            !NearPinyinSyllables(r.syllable, original.syllable);
      if (fits) candidates.push_back(c);
    }
    if (candidates.empty()) continue;
    std::u32string out = name;
    out[pos] = candidates[rng.Below(candidates.size())];
    return out;
  }
  return std::nullopt;
}

std::optional<CivilDate> WithDayMonthSwapped(CivilDate date) {
  CivilDate swapped{date.year, date.day, date.month};
  if (swapped == date || !swapped.IsValid()) return std::nullopt;
  return swapped;
}

std::optional<CivilDate> WithDigitTypo(CivilDate date, CivilDate earliest, CivilDate latest,
                                       SynthRandom& rng) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    int digits[8] = {date.year / 1000, date.year / 100 % 10, date.year / 10 % 10, date.year % 10,
                     date.month / 10,  date.month % 10,      date.day / 10,       date.day % 10};
    std::size_t pos = 2 + rng.Below(6);  // centuries are not mistyped
    int digit = static_cast<int>(rng.Below(10));
    if (digit == digits[pos]) continue;
    digits[pos] = digit;
    CivilDate typo{digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3],
                   digits[4] * 10 + digits[5], digits[6] * 10 + digits[7]};
    if (typo.IsValid() && typo >= earliest && typo <= latest) return typo;
  }
  return std::nullopt;
}

}  // namespace onecard::synth
