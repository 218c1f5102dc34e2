// Families of the second synthetic population (synth_second.h): a migrant family from a sending
// county working in a receiving city, with its parents, a grandparent at home and its children
// (siblings and twins), before anyone registers them. Not thread-safe (IdNumbers is shared state).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "onecard/protocol/civil_date.h"
#include "onecard/tools/synth_random.h"

namespace onecard::synth::second {

// Hands out citizen ID numbers (GB 11643) never handed out before in this population.
class IdNumbers {
 public:
  std::string Issue(const std::string& area, CivilDate birth, char sex, SynthRandom& rng);

 private:
  std::unordered_set<std::uint64_t> issued_;  // the first 17 digits
};

struct Adult {
  std::string name;  // surname + given name
  char sex = 'M';
  std::string id_number;
};

struct Child {
  std::uint64_t person = 0;  // the truth: one number per child
  std::string given;         // given name, one or two characters
  char sex = 'M';
  CivilDate birth;
  std::string id_number;
  bool lives_at_destination = false;  // migrant child; else left behind at home
  bool twin = false;                  // born the same day as a sibling
};

struct Family {
  std::string surname;
  std::string hukou_county;  // sending county (synth_areas.h)
  std::string destination;   // receiving district where the parents work
  Adult father, mother, grandparent;
  std::vector<Child> children;
};

// A family with 1–3 births (45% / 45% / 10%), 1.5% of them twins; children 0–17 on `today`,
// numbered from `next_person` on (which is advanced).
Family DrawFamily(SynthRandom& rng, CivilDate today, IdNumbers& ids, std::uint64_t& next_person);

}  // namespace onecard::synth::second
