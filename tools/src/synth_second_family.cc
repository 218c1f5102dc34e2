#include "synth_second_family.h"

#include "onecard/protocol/id_number.h"
#include "onecard/tools/synth_areas.h"
#include "synth_second_names.h"

namespace onecard::synth::second {
namespace {

// Births per family. China's 2020 census counted a total fertility rate of 1.3, higher in rural
// areas; most migrant families have one or two children (National Bureau of Statistics, 2020
// census bulletin). Judgement within that: 45% one, 45% two, 10% three.
const std::vector<double> kBirthsPerFamily{0.45, 0.45, 0.10};
// Twin deliveries: about 1.5% of births in China in the 2010s (rising with assisted
// reproduction from about 1% before 2000), so about 3% of children are twins. 2/3 of twin pairs
// are of one sex (all identical pairs, half of the fraternal ones).
constexpr double kTwinDelivery = 0.015;
constexpr double kTwinsSameSex = 0.67;
constexpr double kTwinsShareAChar = 0.6;  // 浩宇 / 浩轩: pairs of names are customary for twins
// Families that give siblings a shared generation character (字辈): judgement, common in rural
// families with a lineage register.
constexpr double kGenerationNames = 0.3;
// Children living with their migrant parents: 71.09 million migrant children against 66.93
// million left-behind children in 2020 (UNICEF, NBS and UNFPA, "Population Status of Children in
// China in 2020: Facts and Figures", 2023), so 51% live at the destination.
constexpr double kLivesAtDestination = 0.515;

CivilDate DaysBefore(CivilDate day, std::int64_t n) {
  return CivilDate::FromDays(day.ToDays() - n);
}

// A birth date 0–17 years before `today` (18 × 365 days is less than 18 years).
CivilDate DrawChildBirth(SynthRandom& rng, CivilDate today) {
  return DaysBefore(today, static_cast<std::int64_t>(rng.Below(18 * 365)));
}

Adult DrawAdult(SynthRandom& rng, IdNumbers& ids, const std::string& surname,
                const std::string& area, char sex, CivilDate birth) {
  Adult adult;
  adult.sex = sex;
  bool grandparent = birth.year < 1975;
  adult.name = surname + DrawAdultGivenName(rng, sex, grandparent);
  adult.id_number = ids.Issue(area, birth, sex, rng);
  return adult;
}

// A parent's (or grandparent's) birth date, 20–35 years before `child`'s.
CivilDate GenerationBefore(SynthRandom& rng, CivilDate child) {
  return DaysBefore(child, 20 * 365 + static_cast<std::int64_t>(rng.Below(15 * 365)));
}

Child DrawChild(SynthRandom& rng, CivilDate birth, const std::string& generation_char) {
  Child child;
  child.sex = rng.Chance(0.52) ? 'M' : 'F';  // sex ratio at birth about 1.1 in the 2010s
  child.birth = birth;
  std::string first = generation_char.empty() ? DrawChildNameChar(rng, child.sex) : generation_char;
  child.given = rng.Chance(0.1) ? DrawChildNameChar(rng, child.sex)
                                : first + DrawChildNameChar(rng, child.sex);
  return child;
}

Child TwinOf(SynthRandom& rng, const Child& sibling) {
  Child twin = DrawChild(rng, sibling.birth, "");
  if (rng.Chance(kTwinsSameSex)) twin.sex = sibling.sex;
  std::vector<std::string> chars = SplitHan(sibling.given);
  if (chars.size() == 2 && rng.Chance(kTwinsShareAChar)) {
    do {
      twin.given = chars[0] + DrawChildNameChar(rng, twin.sex);
    } while (twin.given == sibling.given);
  }
  twin.twin = true;
  return twin;
}

void AddChildren(Family& family, SynthRandom& rng, CivilDate today) {
  std::string generation_char;
  if (rng.Chance(kGenerationNames)) generation_char = DrawChildNameChar(rng, 'M');
  std::size_t births = rng.Weighted(kBirthsPerFamily) + 1;
  CivilDate birth = DrawChildBirth(rng, today);
  for (std::size_t b = 0; b < births && birth <= today; ++b) {
    family.children.push_back(DrawChild(rng, birth, generation_char));
    if (rng.Chance(kTwinDelivery)) {
      family.children.back().twin = true;
      family.children.push_back(TwinOf(rng, family.children.back()));
    }
    birth =
        CivilDate::FromDays(birth.ToDays() + 365 + static_cast<std::int64_t>(rng.Below(5 * 365)));
  }
}

}  // namespace

std::string IdNumbers::Issue(const std::string& area, CivilDate birth, char sex, SynthRandom& rng) {
  for (;;) {
    int sequence = 2 * static_cast<int>(rng.Below(500)) + (sex == 'M' ? 1 : 0);
    std::string id = MakeIdNumber(area, birth, sequence);
    if (issued_.insert(std::stoull(id.substr(0, 17))).second) return id;
  }
}

Family DrawFamily(SynthRandom& rng, CivilDate today, IdNumbers& ids, std::uint64_t& next_person) {
  Family family;
  family.surname = DrawSurname(rng);
  family.hukou_county = DrawSendingCounty(rng);
  family.destination = DrawReceivingDistrict(rng);
  const std::string& home = family.hukou_county;
  AddChildren(family, rng, today);
  CivilDate eldest = family.children.front().birth;
  CivilDate father_birth = GenerationBefore(rng, eldest);
  family.father = DrawAdult(rng, ids, family.surname, home, 'M', father_birth);
  family.mother = DrawAdult(rng, ids, DrawSurname(rng), home, 'F', GenerationBefore(rng, eldest));
  // Left-behind children are mostly cared for by grandparents, grandmothers most often; the
  // father's mother keeps her own surname.
  bool grandmother = rng.Chance(0.6);
  family.grandparent = DrawAdult(rng, ids, grandmother ? DrawSurname(rng) : family.surname, home,
                                 grandmother ? 'F' : 'M', GenerationBefore(rng, father_birth));
  bool at_destination = rng.Chance(kLivesAtDestination);
  for (Child& child : family.children) {
    child.person = next_person++;
    child.lives_at_destination = at_destination;
    child.id_number = ids.Issue(home, child.birth, child.sex, rng);
  }
  return family;
}

}  // namespace onecard::synth::second
