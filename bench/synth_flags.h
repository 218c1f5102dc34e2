// The benchmarks' flags for the synthetic population (tools/src, onecard-synth's generators).
#pragma once

#include <cstdlib>
#include <cstring>

#include "onecard/tools/synth_population.h"
#include "onecard/tools/synth_second.h"

// A synthetic population generator: GeneratePopulation (the first) or GenerateSecondPopulation.
using SynthGenerator = decltype(&onecard::synth::GeneratePopulation);

// Applies `flag` with `value` to `options` when it is --count, --duplicate-rate or --seed;
// returns false, leaving `options` alone, for any other flag.
inline bool ApplySynthFlag(const char* flag, const char* value,
                           onecard::synth::SynthOptions& options) {
  if (!std::strcmp(flag, "--count"))
    options.count = std::strtoull(value, nullptr, 10);
  else if (!std::strcmp(flag, "--duplicate-rate"))
    options.duplicate_rate = std::strtod(value, nullptr);
  else if (!std::strcmp(flag, "--seed"))
    options.seed = std::strtoull(value, nullptr, 10);
  else
    return false;
  return true;
}

// Applies --generator first|second to `generator`; returns false, leaving it alone, for any other
// flag. An unknown generator name sets it to nullptr (the caller reports the usage).
inline bool ApplyGeneratorFlag(const char* flag, const char* value, SynthGenerator& generator) {
  if (std::strcmp(flag, "--generator")) return false;
  generator = !std::strcmp(value, "first")    ? &onecard::synth::GeneratePopulation
              : !std::strcmp(value, "second") ? &onecard::synth::GenerateSecondPopulation
                                              : nullptr;
  return true;
}
