// The benchmarks' flags for the synthetic population (tools/src, onecard-synth's generator).
#pragma once

#include <cstdlib>
#include <cstring>

#include "onecard/tools/synth_population.h"

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
