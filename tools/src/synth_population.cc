#include "onecard/tools/synth_population.h"

#include <cstdio>
#include <optional>
#include <unordered_set>
#include <vector>

#include "onecard/protocol/child_record.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/id_number.h"
#include "onecard/tools/synth_areas.h"
#include "onecard/tools/synth_errors.h"
#include "onecard/tools/synth_names.h"
#include "onecard/tools/synth_random.h"

namespace onecard::synth {
namespace {

using nlohmann::json;

struct Adult {
  std::string name;
  std::string id_number;  // empty when the family did not give it
  const char* relation;
};

struct Family {
  std::string hukou;
  std::string city;
  Adult father, mother, grandparent;
  bool minority = false;
};

struct Child {
  std::u32string name;
  char sex;
  CivilDate birth;
  std::string id_number;
  std::string person_id;
};

class Generator {
 public:
  Generator(const SynthOptions& options, const std::function<void(SynthRecord&&)>& sink)
      : options_(options), sink_(sink), rng_(options.seed) {
    std::size_t duplicates =
        static_cast<std::size_t>(static_cast<double>(options.count) * options.duplicate_rate + 0.5);
    std::size_t children = options.count - duplicates;
    second_chance_ =
        children == 0 ? 0 : static_cast<double>(duplicates) / static_cast<double>(children);
    today_days_ = options.reference_date.ToDays();
  }

  void Run() {
    while (emitted_ < options_.count) MakeFamily();
  }

 private:
  std::string UniqueId(const std::string& area, CivilDate birth, char sex) {
    for (;;) {
      int sequence = static_cast<int>(rng_.Below(500)) * 2 + (sex == 'M' ? 1 : 0);
      std::string id = MakeIdNumber(area, birth, sequence);
      if (issued_ids_.insert(id).second) return id;
    }
  }

  CivilDate DaysAgo(std::int64_t days) { return CivilDate::FromDays(today_days_ - days); }

  Adult MakeAdult(const std::u32string& surname, char sex, const char* relation, CivilDate born,
                  const std::string& area, double id_share, bool minority) {
    Adult a;
    a.relation = relation;
    a.name = ToUtf8(minority ? DrawMinorityName(rng_, sex) : surname + DrawGivenName(rng_, sex));
    if (rng_.Chance(id_share)) a.id_number = UniqueId(area, born, sex);
    return a;
  }

  void MakeFamily() {
    Family f;
    f.hukou = DrawSendingCounty(rng_);
    f.city = DrawReceivingDistrict(rng_);
    f.minority = rng_.Chance(0.01);
    std::u32string surname = DrawSurname(rng_);
    // The first child's birth, 0–17 years before the reference date.
    CivilDate first_birth = DaysAgo(static_cast<std::int64_t>(rng_.Below(18 * 365)));
    std::int64_t first_days = first_birth.ToDays();
    auto parent_birth = [&] {
      return CivilDate::FromDays(first_days - 365 * 22 -
                                 static_cast<std::int64_t>(rng_.Below(365 * 14)));
    };
    f.father = MakeAdult(surname, 'M', "father", parent_birth(), f.hukou, 0.8, f.minority);
    f.mother =
        MakeAdult(DrawSurname(rng_), 'F', "mother", parent_birth(), f.hukou, 0.8, f.minority);
    CivilDate gp_birth = CivilDate::FromDays(first_days - 365 * 48 -
                                             static_cast<std::int64_t>(rng_.Below(365 * 15)));
    f.grandparent = MakeAdult(surname, rng_.Chance(0.5) ? 'M' : 'F', "grandparent", gp_birth,
                              f.hukou, 0.5, f.minority);

    std::size_t n = 1 + rng_.Weighted({55, 38, 7});
    std::vector<Child> children;
    for (std::size_t i = 0; i < n && emitted_ < options_.count; ++i) {
      Child c;
      c.sex = rng_.Chance(0.52) ? 'M' : 'F';
      if (i == 0) {
        c.birth = first_birth;
      } else if (i == 1 && rng_.Chance(0.05)) {
        c.birth = first_birth;  // twins
      } else {
        std::int64_t offset = 365 + static_cast<std::int64_t>(rng_.Below(365 * 5));
        std::int64_t days = first_days + (rng_.Chance(0.5) ? offset : -offset);
        if (days > today_days_ || days <= today_days_ - 18 * 365) continue;
        c.birth = CivilDate::FromDays(days);
      }
      for (;;) {
        c.name = f.minority ? DrawMinorityName(rng_, c.sex) : surname + DrawGivenName(rng_, c.sex);
        if (!f.minority && !children.empty() && children.back().birth == c.birth &&
            rng_.Chance(0.5)) {
          c.name[1] = children.back().name[1];  // twins often share the first given character
          if (c.name.size() < 3) c.name += DrawGivenName(rng_, c.sex).substr(0, 1);
        }
        bool taken = false;
        for (const Child& s : children) taken = taken || s.name == c.name;
        if (!taken) break;
      }
      c.id_number = UniqueId(f.hukou, c.birth, c.sex);
      char person[16];
      std::snprintf(person, sizeof person, "P%08zu", next_person_++);
      c.person_id = person;
      children.push_back(c);
      RegisterChild(f, c);
    }
  }

  json GuardianJson(const Adult& a, const std::string& residence, bool with_id) {
    json g = {{"name", a.name}, {"relation", a.relation}, {"residence_area", residence}};
    if (with_id && !a.id_number.empty()) g["id_number"] = a.id_number;
    return g;
  }

  void RegisterChild(const Family& f, const Child& c) {
    bool migrant_first = rng_.Chance(0.55);
    Emit(f, c, migrant_first, /*second=*/false);
    if (emitted_ < options_.count && rng_.Chance(second_chance_))
      Emit(f, c, !migrant_first, /*second=*/true);
  }

  void Emit(const Family& f, const Child& c, bool migrant, bool second) {
    std::vector<std::string> errors;
    std::u32string name = c.name;
    CivilDate birth = c.birth;
    bool with_id = rng_.Chance(0.85);
    std::string hukou = f.hukou;
    if (second) {
      static const NameError kKinds[] = {NameError::kHomophone, NameError::kTraditional,
                                         NameError::kNearSound, NameError::kOtherCharacter};
      static const char* kLabels[] = {"homophone", "traditional", "near_sound", "other_character"};
      std::size_t kind = rng_.Weighted({25, 10, 18, 5, 42});
      if (kind < 4) {
        std::optional<std::u32string> changed = WithNameError(name, kKinds[kind], rng_);
        if (!changed && kKinds[kind] == NameError::kTraditional) {
          kind = 0;
          changed = WithNameError(name, NameError::kHomophone, rng_);
        }
        if (changed) {
          name = *changed;
          errors.push_back(kLabels[kind]);
        }
      }
      std::size_t date_error = rng_.Weighted({10, 5, 85});
      std::optional<CivilDate> changed_date;
      CivilDate earliest = DaysAgo(18 * 365 - 1);
      if (date_error == 0) changed_date = WithDayMonthSwapped(birth);
      if (date_error == 1)
        changed_date = WithDigitTypo(birth, earliest, options_.reference_date, rng_);
      if (changed_date && (*changed_date < earliest || *changed_date > options_.reference_date))
        changed_date.reset();
      if (changed_date) {
        birth = *changed_date;
        errors.push_back(date_error == 0 ? "day_month_swapped" : "date_digit");
        with_id = false;
      } else if (rng_.Chance(0.5)) {
        with_id = false;
      }
      if (!with_id) errors.push_back("id_missing");
      if (rng_.Chance(0.05)) {
        hukou = PrefectureOf(f.hukou);
        errors.push_back("hukou_prefecture");
      }
    }
    std::string residence = migrant ? f.city : f.hukou;
    json guardians = json::array();
    double id_share = second ? 0.7 : 1.0;
    std::size_t parents = second ? 1 + rng_.Below(3) : 3;  // 1 father, 2 mother, 3 both
    if (parents & 1) guardians.push_back(GuardianJson(f.father, f.city, rng_.Chance(id_share)));
    if (parents & 2) guardians.push_back(GuardianJson(f.mother, f.city, rng_.Chance(id_share)));
    if (!migrant && rng_.Chance(0.7))
      guardians.push_back(GuardianJson(f.grandparent, f.hukou, rng_.Chance(id_share)));
    std::int64_t birth_days = birth.ToDays();
    CivilDate consent_date = CivilDate::FromDays(
        birth_days + static_cast<std::int64_t>(
                         rng_.Below(static_cast<std::uint64_t>(today_days_ - birth_days + 1))));
    const json& consenting = guardians.back();
    json record = {{"name", ToUtf8(name)},
                   {"sex", std::string(1, c.sex)},
                   {"birth_date", birth.ToString()},
                   {"hukou_area", hukou},
                   {"residence_area", residence},
                   {"guardians", guardians},
                   {"consent",
                    {{"by", consenting["name"]},
                     {"relation", consenting["relation"]},
                     {"date", consent_date.ToString()}}}};
    if (with_id) record["id_number"] = c.id_number;
    record["category"] = DeriveCategory(record);
    // Record ids: a bijection of the sequence number, so that their order says nothing.
    auto scrambled = static_cast<std::uint32_t>(emitted_ * 2654435761u + 12345u);
    char id[16];
    std::snprintf(id, sizeof id, "R%010u", scrambled);
    record["child_id"] = id;
    std::string error_text;
    for (const std::string& e : errors) error_text += (error_text.empty() ? "" : ",") + e;
    sink_(SynthRecord{std::move(record), id, c.person_id, error_text.empty() ? "-" : error_text});
    ++emitted_;
  }

  const SynthOptions& options_;
  const std::function<void(SynthRecord&&)>& sink_;
  SynthRandom rng_;
  double second_chance_ = 0;
  std::int64_t today_days_ = 0;
  std::size_t emitted_ = 0;
  std::size_t next_person_ = 0;
  std::unordered_set<std::string> issued_ids_;
};

}  // namespace

Status GeneratePopulation(const SynthOptions& options,
                          const std::function<void(SynthRecord&&)>& sink) {
  if (options.count < 1 || options.count > 50'000'000) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--count 须在 1 到 50000000 之间", "--count must be 1 to 50000000"));
  }
  if (!(options.duplicate_rate >= 0 && options.duplicate_rate <= 0.5)) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--duplicate-rate 须在 0 到 0.5 之间", "--duplicate-rate must be 0 to 0.5"));
  }
  if (!options.reference_date.IsValid() || options.reference_date.year < 1950) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("--reference-date 无效", "--reference-date is not valid"));
  }
  Generator(options, sink).Run();
  return Status::Ok();
}

}  // namespace onecard::synth
