// One registration of a child of the second synthetic population (synth_second.h), as the people
// at one end of the migration give it: at the sending end (home county) a village registrar
// hears a grandparent; at the receiving end (destination district) a community or school
// registrar hears a parent. Each variation, its rate and its source are in
// synth_second_registration.cc and docs/identity-generators.md. Thread-compatible.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "synth_second_family.h"

namespace onecard::synth::second {

enum class End { kSending, kReceiving };

struct Registration {
  nlohmann::json record;            // canonical child record, without "child_id"
  std::vector<std::string> errors;  // how it differs from the true child, e.g. "lunar_date"
};

// The registration of `child` (one of `family.children`) at `end`, made `today`.
Registration Register(const Family& family, const Child& child, End end, CivilDate today,
                      SynthRandom& rng);

}  // namespace onecard::synth::second
