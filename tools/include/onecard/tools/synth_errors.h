// The errors a second registration of the same child carries, as registrars make them:
// a homophone chosen from the input method's candidates, traditional character forms, a
// near-sound character (fuzzy pinyin: n/l, zh/z, in/ing …), an unrelated character, day and month
// swapped, one digit of the date mistyped.
// Pure functions of their inputs and the SynthRandom; "no change possible" returns nullopt.
#pragma once

#include <optional>
#include <string>

#include "onecard/protocol/civil_date.h"
#include "onecard/tools/synth_random.h"

namespace onecard::synth {

enum class NameError { kHomophone, kTraditional, kNearSound, kOtherCharacter };

// The name with one error of `kind` (traditional: every character that has a traditional form).
// Middle dots and the surname are kept for homophones, near sounds and other characters; nullopt
// when the pool (CommonNameCharacters) offers no suitable character.
std::optional<std::u32string> WithNameError(const std::u32string& name, NameError kind,
                                            SynthRandom& rng);

// Day and month swapped; nullopt when that is not a different real date.
std::optional<CivilDate> WithDayMonthSwapped(CivilDate date);
// One digit of YYYYMMDD changed so that the result is a real date between `earliest` and
// `latest` (inclusive); nullopt after a few tries.
std::optional<CivilDate> WithDigitTypo(CivilDate date, CivilDate earliest, CivilDate latest,
                                       SynthRandom& rng);

}  // namespace onecard::synth
