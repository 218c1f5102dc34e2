#include "synth_second_registration.h"

#include <algorithm>

#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/child_record.h"
#include "synth_second_dates.h"
#include "synth_second_names.h"

namespace onecard::synth::second {
namespace {

using Labels = std::vector<std::string>;

// ID numbers. Children under 16 need not hold an identity card (Resident Identity Card Law, art. 5,
// 2011 amendment), so the number is known only from the household register booklet (户口簿),
// which migrant families often leave at home; grandparents at home rarely know where it is kept.
// Rates are judgement on that basis.
constexpr double kNoIdSending = 0.45, kNoIdReceiving = 0.25;
// Without an ID number nothing checks the birth date against it:
// - a grandparent gives the lunar birthday, the way birthdays are kept in many rural families,
//   and the registrar writes its numbers as a Gregorian date (judgement);
constexpr double kLunarBirthday = 0.2;
// - keying slips: about 1–2% of hand-keyed date fields in double-entry studies (judgement within
//   the range published for clinical data entry, e.g. Day et al., Control Clin Trials 1998);
constexpr double kMistypedDate = 0.015;
// - day and month exchanged when the date is spoken or written as "7/3" (judgement);
constexpr double kDayMonthSwapped = 0.01;
// - the wrong sex ticked (judgement; rare).
constexpr double kWrongSex = 0.003;
// Names (judgement, guided by the error kinds of Chinese administrative names described in
// "Machine-learning classifiers for logographic name matching in public health applications",
// arXiv 2001.01895: phonetic, visual and keystroke similarity):
// A nickname (小名) is what grandparents call the child by: 4% at home, 1% at the destination.
constexpr double kNicknameSending = 0.04, kNicknameReceiving = 0.01;
constexpr double kDroppedChar = 0.03;  // of three-character names
constexpr double kHomophone = 0.06;    // a wrong candidate picked from the pinyin IME list
constexpr double kDialect = 0.08;      // of names with a syllable the family's dialect merges
constexpr double kTraditional = 0.015;
// Areas: parents give their home as the prefecture-level city they name it by (周口, not
// 郸城县), or the county next to it (judgement); the community records the district or only the
// city.
constexpr double kHukouPrefecture = 0.10;
constexpr double kHukouNeighbour = 0.03;
constexpr double kResidencePrefecture = 0.05;
constexpr double kGuardianId = 0.8;     // parents at the receiving end show their ID cards
constexpr double kGrandparentId = 0.5;  // grandparents at home
constexpr double kFatherListedAtHome = 0.5;

std::string RecordedName(const Family& family, const Child& child, End end, SynthRandom& rng,
                         Labels& labels) {
  std::string given = child.given;
  std::vector<std::string> chars = SplitHan(given);
  if (rng.Chance(end == End::kSending ? kNicknameSending : kNicknameReceiving)) {
    UseNickname(given, rng);
    labels.push_back("nickname");
  } else if (chars.size() == 2 && rng.Chance(kDroppedChar)) {
    given = chars[1];
    labels.push_back("dropped_char");
  }
  if (rng.Chance(kHomophone) && TypeHomophone(given, rng)) labels.push_back("homophone");
  if (rng.Chance(kDialect) && HearInDialect(given, DialectMergersOf(family.hukou_county), rng))
    labels.push_back("dialect");
  std::string name = family.surname + given;
  if (rng.Chance(kTraditional) && WriteTraditional(name)) labels.push_back("traditional");
  return name;
}

bool PlausibleBirth(CivilDate date, CivilDate today) {
  int age = AgeInYears(date, today);
  return date <= today && age >= 0 && age <= 17;
}

// The birth date as given when no ID number is recorded.
CivilDate GivenBirthDate(CivilDate birth, End end, CivilDate today, SynthRandom& rng,
                         Labels& labels) {
  std::optional<CivilDate> given;
  std::string label;
  if (end == End::kSending && rng.Chance(kLunarBirthday)) {
    given = LunarAsGregorian(birth);
    label = "lunar_date";
  } else if (rng.Chance(kMistypedDate)) {
    given = MistypeDate(birth, rng, label);
    label = "date_" + label;
  } else if (rng.Chance(kDayMonthSwapped)) {
    given = SwapDayMonth(birth);
    label = "day_month";
  }
  if (!given || *given == birth || !PlausibleBirth(*given, today)) return birth;
  labels.push_back(label);
  return *given;
}

void RecordBirthSexAndId(nlohmann::json& record, const Child& child, End end, CivilDate today,
                         SynthRandom& rng, Labels& labels) {
  char sex = child.sex;
  CivilDate birth = child.birth;
  if (rng.Chance(end == End::kSending ? kNoIdSending : kNoIdReceiving)) {
    labels.push_back("no_id");
    birth = GivenBirthDate(child.birth, end, today, rng, labels);
    if (rng.Chance(kWrongSex)) {
      sex = sex == 'M' ? 'F' : 'M';
      labels.push_back("sex");
    }
  } else {
    record["id_number"] = child.id_number;
  }
  record["birth_date"] = birth.ToString();
  record["sex"] = std::string(1, sex);
}

std::string PrefectureOfCounty(const std::string& county) {
  std::string prefecture = county.substr(0, 4) + "00";
  return IsKnownArea(prefecture) ? prefecture : county;
}

// Another county of the same prefecture, standing in for a neighbouring one (the code table has
// no adjacency); `county` itself when the prefecture has no other.
std::string NeighbourCounty(const std::string& county, SynthRandom& rng) {
  auto counties = AreasUnder(county.substr(0, 4));
  if (!counties || counties->size() < 2) return county;
  for (;;) {
    const std::string& other = (*counties)[rng.Below(counties->size())].first;
    if (other != county) return other;
  }
}

void RecordAreas(nlohmann::json& record, const Family& family, End end, SynthRandom& rng,
                 Labels& labels) {
  std::string hukou = family.hukou_county, residence = family.hukou_county;
  if (end == End::kReceiving) {
    residence = family.destination;
    if (rng.Chance(kResidencePrefecture) && PrefectureOfCounty(residence) != residence) {
      residence = PrefectureOfCounty(residence);
      labels.push_back("residence_prefecture");
    }
    if (rng.Chance(kHukouPrefecture) && PrefectureOfCounty(hukou) != hukou) {
      hukou = PrefectureOfCounty(hukou);
      labels.push_back("hukou_prefecture");
    } else if (rng.Chance(kHukouNeighbour)) {
      std::string neighbour = NeighbourCounty(hukou, rng);
      if (neighbour != hukou) labels.push_back("hukou_neighbour");
      hukou = neighbour;
    }
  }
  record["hukou_area"] = hukou;
  record["residence_area"] = residence;
}

nlohmann::json Guardian(const Adult& adult, const char* relation, const std::string& residence,
                        bool with_id) {
  nlohmann::json g{{"name", adult.name}, {"relation", relation}, {"residence_area", residence}};
  if (with_id) g["id_number"] = adult.id_number;
  return g;
}

// Grandparents at the sending end, parents at the receiving end; the consent is given by the
// first guardian listed.
void RecordGuardians(nlohmann::json& record, const Family& family, End end, CivilDate given_birth,
                     CivilDate today, SynthRandom& rng) {
  nlohmann::json guardians = nlohmann::json::array();
  if (end == End::kSending) {
    guardians.push_back(Guardian(family.grandparent, "grandparent", family.hukou_county,
                                 rng.Chance(kGrandparentId)));
    if (rng.Chance(kFatherListedAtHome))
      guardians.push_back(
          Guardian(family.father, "father", PrefectureOfCounty(family.destination), false));
  } else {
    bool father = rng.Chance(0.85), mother = !father || rng.Chance(0.8);
    if (father)
      guardians.push_back(
          Guardian(family.father, "father", family.destination, rng.Chance(kGuardianId)));
    if (mother)
      guardians.push_back(
          Guardian(family.mother, "mother", family.destination, rng.Chance(kGuardianId)));
  }
  std::int64_t days_known = today.ToDays() - given_birth.ToDays();
  auto back = static_cast<std::int64_t>(
      rng.Below(static_cast<std::uint64_t>(std::min<std::int64_t>(730, days_known) + 1)));
  record["consent"] = {{"by", guardians[0]["name"]},
                       {"relation", guardians[0]["relation"]},
                       {"date", CivilDate::FromDays(today.ToDays() - back).ToString()}};
  record["guardians"] = std::move(guardians);
}

}  // namespace

Registration Register(const Family& family, const Child& child, End end, CivilDate today,
                      SynthRandom& rng) {
  Registration r;
  r.record["name"] = RecordedName(family, child, end, rng, r.errors);
  RecordBirthSexAndId(r.record, child, end, today, rng, r.errors);
  RecordAreas(r.record, family, end, rng, r.errors);
  CivilDate given_birth = *CivilDate::Parse(r.record["birth_date"].get<std::string>());
  RecordGuardians(r.record, family, end, given_birth, today, rng);
  r.record["category"] = DeriveCategory(r.record);
  return r;
}

}  // namespace onecard::synth::second
