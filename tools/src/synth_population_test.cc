#include "onecard/tools/synth_population.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <set>

#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/child_record.h"
#include "onecard/protocol/identity_han.h"
#include "onecard/protocol/identity_record.h"
#include "onecard/protocol/utf8.h"
#include "onecard/tools/synth_errors.h"
#include "onecard/tools/synth_names.h"
#include "onecard/tools/synth_second.h"

namespace onecard::synth {
namespace {

using Generator = decltype(&GeneratePopulation);
// The first generator and the second (synth_second.h, same contract): the tests of the contract
// run on both.
constexpr std::array<Generator, 2> kGenerators{&GeneratePopulation, &GenerateSecondPopulation};

std::vector<SynthRecord> Generate(std::size_t count, std::uint64_t seed, double rate = 0.1,
                                  Generator generate = &GeneratePopulation) {
  SynthOptions options;
  options.count = count;
  options.seed = seed;
  options.duplicate_rate = rate;
  std::vector<SynthRecord> out;
  EXPECT_TRUE(generate(options, [&](SynthRecord&& r) { out.push_back(std::move(r)); }).ok());
  return out;
}

// For the second generator also at the extreme duplicate rates (it registers both ends then).
TEST(SynthPopulation, RecordsAreValidCanonicalChildRecords) {
  std::vector<SynthRecord> records = Generate(3000, 11);
  for (double rate : {0.0, 0.5}) {
    for (SynthRecord& r : Generate(3000, 11, rate, &GenerateSecondPopulation))
      records.push_back(std::move(r));
  }
  ASSERT_EQ(records.size(), 9000u);
  for (const SynthRecord& r : records) {
    nlohmann::json input = r.record;
    ASSERT_EQ(input["child_id"], r.record_id);
    input.erase("child_id");
    Result<nlohmann::json> valid = ValidateNewChild(input, SynthOptions().reference_date);
    ASSERT_TRUE(valid.ok()) << valid.status().message() << "\n" << r.record.dump();
    EXPECT_EQ(*valid, input) << "not in canonical form: " << r.record.dump();
    EXPECT_TRUE(IsKnownArea(r.record["hukou_area"].get<std::string>()));
    EXPECT_TRUE(IsKnownArea(r.record["residence_area"].get<std::string>()));
  }
}

TEST(SynthPopulation, DeterministicForASeed) {
  for (Generator generate : kGenerators) {
    std::vector<SynthRecord> a = Generate(500, 5, 0.1, generate),
                             b = Generate(500, 5, 0.1, generate),
                             c = Generate(500, 6, 0.1, generate);
    ASSERT_EQ(a.size(), 500u);
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].record.dump(), b[i].record.dump());
      EXPECT_EQ(a[i].person_id, b[i].person_id);
      EXPECT_EQ(a[i].errors, b[i].errors);
    }
    EXPECT_NE(a[0].record.dump(), c[0].record.dump());
  }
}

TEST(SynthPopulation, DuplicatesAreCrossAreaWithRealisticErrors) {
  std::vector<SynthRecord> records = Generate(20000, 3);
  std::map<std::string, std::vector<const SynthRecord*>> by_person;
  std::set<std::string> record_ids, id_numbers_by_person_conflict;
  std::map<std::string, std::string> person_of_id_number;
  std::map<std::string, int> errors;
  for (const SynthRecord& r : records) {
    EXPECT_TRUE(record_ids.insert(r.record_id).second) << "record ids are unique";
    by_person[r.person_id].push_back(&r);
    if (r.record.contains("id_number")) {
      auto [it, inserted] = person_of_id_number.emplace(r.record["id_number"], r.person_id);
      EXPECT_EQ(it->second, r.person_id) << "one ID number, one child";
    }
    for (std::size_t start = 0; r.errors != "-" && start < r.errors.size();) {
      std::size_t end = r.errors.find(',', start);
      if (end == std::string::npos) end = r.errors.size();
      ++errors[r.errors.substr(start, end - start)];
      start = end + 1;
    }
  }
  std::size_t duplicates = records.size() - by_person.size();
  EXPECT_NEAR(static_cast<double>(duplicates) / static_cast<double>(records.size()), 0.10, 0.01);
  for (const auto& [person, regs] : by_person) {
    ASSERT_LE(regs.size(), 2u);
    if (regs.size() == 2) {
      EXPECT_NE(regs[0]->record["residence_area"], regs[1]->record["residence_area"])
          << "cross-area";
      EXPECT_EQ(regs[0]->errors, "-");
    }
  }
  for (const char* kind : {"homophone", "traditional", "near_sound", "other_character",
                           "day_month_swapped", "date_digit", "id_missing", "hukou_prefecture"}) {
    EXPECT_GT(errors[kind], 0) << kind;
  }
  EXPECT_GT(errors["homophone"], errors["other_character"]);
}

// Twins are the case the resolver must not merge: two children of one family born the same day,
// whose names often differ in one character. Twin children are about 2-3% of children in China
// (twin deliveries about 1.2-1.5% of births); each twin is registered where it lives, so some pairs
// are registered once each, in different areas, looking like one child registered twice.
TEST(SynthPopulation, TwinsAtARealisticRateSomeRegisteredApart) {
  std::vector<SynthRecord> records = Generate(60000, 13);
  std::map<std::string, const SynthRecord*> first;  // person → first registration
  std::map<std::string, int> registrations;
  for (const SynthRecord& r : records) {
    first.emplace(r.person_id, &r);
    ++registrations[r.person_id];
  }
  // A first registration names both parents: a family is its parents, a twin shares the date.
  std::map<std::string, std::vector<std::string>> by_family_and_birth;
  for (const auto& [person, r] : first) {
    const nlohmann::json& g = r->record["guardians"];
    by_family_and_birth[g[0]["name"].dump() + g[1]["name"].dump() + r->record["hukou_area"].dump() +
                        r->record["birth_date"].dump()]
        .push_back(person);
  }
  std::size_t twins = 0, one_character_apart = 0, registered_apart = 0;
  for (const auto& [key, persons] : by_family_and_birth) {
    if (persons.size() != 2) continue;
    twins += 2;
    const nlohmann::json& a = first[persons[0]]->record;
    const nlohmann::json& b = first[persons[1]]->record;
    std::u32string x = DecodeUtf8Lenient(a["name"].get<std::string>());
    std::u32string y = DecodeUtf8Lenient(b["name"].get<std::string>());
    if (x.size() == y.size() && x.size() > 2 && x[1] == y[1]) ++one_character_apart;
    if (registrations[persons[0]] == 1 && registrations[persons[1]] == 1 &&
        a["residence_area"] != b["residence_area"])
      ++registered_apart;
  }
  double share = static_cast<double>(twins) / static_cast<double>(first.size());
  EXPECT_GT(share, 0.015);
  EXPECT_LT(share, 0.05);
  EXPECT_GT(one_character_apart, twins / 2 / 5);  // names sharing a character are common
  EXPECT_GT(registered_apart, twins / 2 / 5);
}

TEST(SynthPopulation, NamesLookChinese) {
  std::vector<SynthRecord> records = Generate(5000, 9, 0);
  std::map<char32_t, int> surnames;
  int dotted = 0, three = 0;
  for (const SynthRecord& r : records) {
    std::u32string name = DecodeUtf8Lenient(r.record["name"].get<std::string>());
    if (name.find(U'·') != std::u32string::npos) {
      ++dotted;
      continue;
    }
    ++surnames[name[0]];
    three += name.size() == 3;
  }
  EXPECT_GT(dotted, 0);
  EXPECT_LT(dotted, 200);
  EXPECT_GT(three, 2500);  // mostly three-character names
  EXPECT_GT(surnames[U'王'], surnames[U'汤']);
  EXPECT_GT(surnames[U'王'] + surnames[U'李'] + surnames[U'张'], 600);
}

TEST(SynthErrors, EachKindOfError) {
  SynthRandom rng(1);
  std::u32string name = U"张伟明";
  std::optional<std::u32string> homophone = WithNameError(name, NameError::kHomophone, rng);
  ASSERT_TRUE(homophone);
  EXPECT_EQ((*homophone)[0], U'张');
  IdentityName a = MakeIdentityName(ToUtf8(name)), b = MakeIdentityName(ToUtf8(*homophone));
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].syllable, b[i].syllable);
  EXPECT_EQ(WithNameError(name, NameError::kTraditional, rng), U"張偉明");
  std::optional<std::u32string> near = WithNameError(name, NameError::kNearSound, rng);
  ASSERT_TRUE(near);
  EXPECT_NE(*near, name);
  EXPECT_EQ(WithNameError(U"王", NameError::kHomophone, rng), std::nullopt);  // surname only
  EXPECT_EQ(WithDayMonthSwapped(CivilDate{2015, 3, 7}), (CivilDate{2015, 7, 3}));
  EXPECT_EQ(WithDayMonthSwapped(CivilDate{2015, 3, 17}), std::nullopt);
  EXPECT_EQ(WithDayMonthSwapped(CivilDate{2015, 4, 4}), std::nullopt);
  std::optional<CivilDate> typo =
      WithDigitTypo(CivilDate{2015, 3, 7}, CivilDate{2008, 1, 1}, CivilDate{2025, 6, 30}, rng);
  ASSERT_TRUE(typo);
  EXPECT_NE(*typo, (CivilDate{2015, 3, 7}));
}

// Both generators (synth_second.h has the same contract).
TEST(SynthPopulation, RefusesOptionsOutOfRange) {
  auto sink = [](SynthRecord&&) {};
  for (Generator generate : kGenerators) {
    SynthOptions options;
    options.count = 0;
    EXPECT_EQ(generate(options, sink).code(), ErrorCode::kInvalidArgument);
    options.count = 10;
    options.duplicate_rate = 0.9;
    EXPECT_EQ(generate(options, sink).code(), ErrorCode::kInvalidArgument);
    options.duplicate_rate = 0.1;
    options.reference_date = CivilDate{2025, 2, 30};
    EXPECT_EQ(generate(options, sink).code(), ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace onecard::synth
