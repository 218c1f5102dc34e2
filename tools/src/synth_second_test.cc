// Tests of the second generator's model. Its contract (valid canonical records, determinism,
// refused options) is tested with the first generator's in synth_population_test.cc.
#include "onecard/tools/synth_second.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "onecard/protocol/identity_han.h"
#include "onecard/protocol/utf8.h"
#include "synth_second_dates.h"
#include "synth_second_family.h"
#include "synth_second_names.h"

namespace onecard::synth {
namespace {

std::vector<SynthRecord> Generate(std::size_t count, std::uint64_t seed, double rate = 0.15) {
  SynthOptions options;
  options.count = count;
  options.seed = seed;
  options.duplicate_rate = rate;
  std::vector<SynthRecord> out;
  EXPECT_TRUE(GenerateSecondPopulation(options, [&](SynthRecord&& r) {
                out.push_back(std::move(r));
              }).ok());
  return out;
}

std::map<std::string, int> CountLabels(const std::vector<SynthRecord>& records) {
  std::map<std::string, int> labels;
  for (const SynthRecord& r : records) {
    for (std::size_t start = 0; r.errors != "-" && start < r.errors.size();) {
      std::size_t end = r.errors.find(',', start);
      if (end == std::string::npos) end = r.errors.size();
      ++labels[r.errors.substr(start, end - start)];
      start = end + 1;
    }
  }
  return labels;
}

char32_t Han(const std::string& utf8) { return DecodeUtf8Lenient(utf8)[0]; }

// The truth: at most two registrations of a child, at the two ends (different residence areas,
// different guardians); one ID number is one child; the duplicate share is the one asked for.
TEST(SynthSecond, TruthIsConsistent) {
  std::vector<SynthRecord> records = Generate(20000, 3);
  std::map<std::string, std::vector<const SynthRecord*>> by_person;
  std::map<std::string, std::string> person_of_id_number;
  std::set<std::string> record_ids;
  for (const SynthRecord& r : records) {
    EXPECT_TRUE(record_ids.insert(r.record_id).second);
    by_person[r.person_id].push_back(&r);
    if (r.record.contains("id_number")) {
      auto [it, inserted] = person_of_id_number.emplace(r.record["id_number"], r.person_id);
      EXPECT_EQ(it->second, r.person_id) << "one ID number, one child";
    }
  }
  double duplicates = static_cast<double>(records.size() - by_person.size());
  EXPECT_NEAR(duplicates / static_cast<double>(records.size()), 0.15, 0.01);
  for (const auto& [person, regs] : by_person) {
    ASSERT_LE(regs.size(), 2u);
    if (regs.size() < 2) continue;
    const nlohmann::json &a = regs[0]->record, &b = regs[1]->record;
    EXPECT_NE(a["residence_area"], b["residence_area"]);
    EXPECT_NE(a["guardians"][0]["relation"] == "grandparent",
              b["guardians"][0]["relation"] == "grandparent")
        << "grandparents at one end, parents at the other";
  }
}

// Twins: same family, same birth date, always two persons; about 3% of children.
TEST(SynthSecond, TwinsAreTwoPersons) {
  SynthRandom rng(7);
  second::IdNumbers ids;
  std::uint64_t next_person = 1;
  std::size_t children = 0, twins = 0, sharing_a_char = 0;
  for (int f = 0; f < 20000; ++f) {
    second::Family family = second::DrawFamily(rng, CivilDate{2025, 6, 30}, ids, next_person);
    children += family.children.size();
    for (std::size_t i = 0; i + 1 < family.children.size(); ++i) {
      const second::Child &a = family.children[i], &b = family.children[i + 1];
      if (!b.twin || a.birth != b.birth) continue;
      twins += 2;
      EXPECT_NE(a.person, b.person);
      EXPECT_NE(a.id_number, b.id_number);
      EXPECT_NE(a.given, b.given);
      sharing_a_char += a.given.substr(0, 3) == b.given.substr(0, 3);
    }
  }
  double share = static_cast<double>(twins) / static_cast<double>(children);
  EXPECT_GT(share, 0.02);
  EXPECT_LT(share, 0.04);
  EXPECT_GT(sharing_a_char, twins / 2 / 3);
}

// Each variation at about its rate (per registration, 20,000 registrations, 15% duplicates).
// Expected rates follow from the per-end rates of synth_second_registration.cc: about 49% of
// registrations are made at the sending end. For example no_id ≈ 0.49 × 0.45 + 0.51 × 0.25 and
// lunar_date ≈ 0.49 × 0.45 × 0.2 (less the dates that are no plausible birth date).
TEST(SynthSecond, EachVariationAtAboutItsRate) {
  std::map<std::string, int> labels = CountLabels(Generate(20000, 21));
  auto rate = [&](const char* label) { return labels[label] / 20000.0; };
  EXPECT_NEAR(rate("no_id"), 0.35, 0.03);
  EXPECT_NEAR(rate("lunar_date"), 0.04, 0.012);
  EXPECT_NEAR(rate("homophone"), 0.055, 0.012);
  EXPECT_NEAR(rate("dialect"), 0.05, 0.025);  // 8% of the names a family's dialect can merge
  EXPECT_NEAR(rate("nickname"), 0.025, 0.008);
  EXPECT_NEAR(rate("dropped_char"), 0.025, 0.01);
  EXPECT_NEAR(rate("traditional"), 0.012, 0.006);
  EXPECT_NEAR(rate("hukou_prefecture"), 0.05, 0.012);
  EXPECT_NEAR(rate("hukou_neighbour"), 0.013, 0.006);
  EXPECT_NEAR(rate("residence_prefecture"), 0.025, 0.01);
  EXPECT_NEAR(rate("date_transposed") + rate("date_neighbour_key"), 0.005, 0.004);
  EXPECT_GT(labels["day_month"], 0);
  EXPECT_GT(labels["sex"], 0);
  EXPECT_LT(rate("sex"), 0.004);
}

TEST(SynthSecondDates, LunarBirthdaysFromTheNewYearTable) {
  using second::LunarAsGregorian;
  EXPECT_EQ(LunarAsGregorian(CivilDate{2015, 2, 19}), (CivilDate{2015, 1, 1}));  // New Year
  EXPECT_EQ(LunarAsGregorian(CivilDate{2012, 4, 24}), (CivilDate{2012, 4, 4}));
  EXPECT_EQ(LunarAsGregorian(CivilDate{2012, 1, 10}), (CivilDate{2011, 12, 17}));
  // Mid-Autumn Festival, the fifteenth of the eighth month, in years without an earlier leap month.
  for (CivilDate festival : {CivilDate{2015, 9, 27}, CivilDate{2019, 9, 13}}) {
    std::optional<CivilDate> lunar = LunarAsGregorian(festival);
    ASSERT_TRUE(lunar);
    EXPECT_EQ(lunar->month, 8);
    EXPECT_NEAR(lunar->day, 15, 1);
  }
  EXPECT_EQ(LunarAsGregorian(CivilDate{2007, 1, 1}), std::nullopt);  // before the table
}

TEST(SynthSecondDates, TypingSlips) {
  EXPECT_EQ(second::SwapDayMonth(CivilDate{2015, 3, 7}), (CivilDate{2015, 7, 3}));
  EXPECT_EQ(second::SwapDayMonth(CivilDate{2015, 3, 17}), std::nullopt);
  SynthRandom rng(3);
  int made = 0;
  for (int i = 0; i < 200; ++i) {
    std::string kind;
    std::optional<CivilDate> typed = second::MistypeDate(CivilDate{2015, 3, 27}, rng, kind);
    if (!typed) continue;
    ++made;
    EXPECT_NE(*typed, (CivilDate{2015, 3, 27}));
    EXPECT_TRUE(kind == "transposed" || kind == "neighbour_key");
  }
  EXPECT_GT(made, 50);
}

// The name tables agree with the protocol's Unihan-derived tables: homophones read alike,
// traditional forms fold back, dialect substitutions are to the merged syllable (by the
// characters' Unihan readings, so the tables' syllable labels are checked too).
TEST(SynthSecondNames, TablesAgreeWithUnihan) {
  SynthRandom rng(5);
  for (int i = 0; i < 5000; ++i) {
    std::string c = second::DrawChildNameChar(rng, i % 2 ? 'M' : 'F');
    std::string homophone = c;
    if (second::TypeHomophone(homophone, rng)) {
      EXPECT_NE(homophone, c);
      EXPECT_EQ(ReadingOfHan(Han(homophone)).syllable, ReadingOfHan(Han(c)).syllable) << c;
    }
    std::string heard = c;
    constexpr unsigned kAll =
        second::kMergesNL | second::kMergesFH | second::kMergesRetroflex | second::kMergesNasal;
    if (second::HearInDialect(heard, kAll, rng)) {
      EXPECT_TRUE(second::MergedInDialect(PinyinSyllableText(ReadingOfHan(Han(heard)).syllable),
                                          PinyinSyllableText(ReadingOfHan(Han(c)).syllable), kAll))
          << c << " " << heard;
    }
    std::string name = second::DrawSurname(rng) + c, traditional = name;
    if (second::WriteTraditional(traditional)) {
      std::u32string t = DecodeUtf8Lenient(traditional), s = DecodeUtf8Lenient(name);
      for (std::size_t k = 0; k < s.size(); ++k) EXPECT_EQ(SimplifiedHan(t[k]), s[k]) << name;
    }
  }
  std::string given = "子涵";
  EXPECT_FALSE(second::HearInDialect(given, 0, rng));  // Henan keeps these sounds apart
  EXPECT_EQ(second::DialectMergersOf("411202"), 0u);
  EXPECT_TRUE(second::DialectMergersOf("511504") & second::kMergesNL);
  ASSERT_TRUE(second::UseNickname(given, rng));
  EXPECT_TRUE(given == "小涵" || given == "涵涵");
}

}  // namespace
}  // namespace onecard::synth
