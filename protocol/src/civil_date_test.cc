#include "onecard/protocol/civil_date.h"

#include <gtest/gtest.h>

#include "onecard/platform/test_clock.h"
#include "onecard/protocol/i18n.h"
#include "test_language_scope.h"

namespace onecard {
namespace {

using testing::LanguageScope;

TEST(CivilDate, ParseReadsDaysOfTheCalendar) {
  const struct {
    const char* text;
    CivilDate expected;
  } rows[] = {
      {"2015-03-01", {2015, 3, 1}},
      {"2024-02-29", {2024, 2, 29}},  // leap year
      {"2000-02-29", {2000, 2, 29}},  // divisible by 400
  };
  for (const auto& row : rows) {
    auto r = CivilDate::Parse(row.text);
    ASSERT_TRUE(r.ok()) << row.text << ": " << r.status().message();
    EXPECT_EQ(*r, row.expected) << row.text;
    EXPECT_EQ(r->ToString(), row.text);
  }
}

TEST(CivilDate, ParseIsStrict) {
  const char* const not_days[] = {
      "1900-02-29",  // divisible by 100, not 400
      "2023-02-29",     "2023-04-31", "2023-13-01",  "2023-00-10",       "2023-01-00", "0000-01-01",
      "2023-1-01",      "2023/01/01", " 2023-01-01", "2023-01-01T00:00", "20230101",   "",
      "２０２３-01-01",  // fullwidth digits
  };
  for (const char* text : not_days) {
    auto r = CivilDate::Parse(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << text;
  }
}

TEST(CivilDate, ErrorQuotesOnlyPrintableText) {
  LanguageScope keep_language;
  SetLanguage(Language::kEn);
  EXPECT_NE(CivilDate::Parse("2023-02-30").status().message().find("\"2023-02-30\""),
            std::string::npos);
  std::string raw = "\xff\xfe-01-01xx";
  EXPECT_EQ(CivilDate::Parse(raw).status().message().find('\xff'), std::string::npos);
}

struct AgeRow {
  CivilDate birth, on;
  int age;
};

TEST(CivilDate, AgeInCompletedYears) {
  const AgeRow rows[] = {
      {{2015, 3, 1}, {2026, 11, 23}, 11},   {{2015, 3, 1}, {2026, 3, 1}, 11},  // birthday itself
      {{2015, 3, 1}, {2026, 2, 28}, 10},                                       // day before
      {{2008, 11, 24}, {2026, 11, 23}, 17}, {{2008, 11, 23}, {2026, 11, 23}, 18},
      {{2016, 2, 29}, {2025, 2, 28}, 8},  // leap-day birthday in a common year ...
      {{2016, 2, 29}, {2025, 3, 1}, 9},   // ... is reached on 1 March
      {{2020, 5, 1}, {2020, 5, 1}, 0},      {{2020, 5, 1}, {2020, 4, 30}, -1},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(AgeInYears(row.birth, row.on), row.age)
        << row.birth.ToString() << " on " << row.on.ToString();
  }
}

TEST(CivilDate, DaysRoundTripAndOrder) {
  EXPECT_EQ((CivilDate{1970, 1, 1}).ToDays(), 0);
  EXPECT_EQ((CivilDate{2000, 3, 1}).ToDays() - (CivilDate{2000, 2, 28}).ToDays(), 2);
  for (std::int64_t d : {-700000, -1, 0, 1, 19000, 20000, 2900000}) {
    EXPECT_EQ(CivilDate::FromDays(d).ToDays(), d);
  }
  EXPECT_LT((CivilDate{2015, 3, 1}), (CivilDate{2015, 3, 2}));
  EXPECT_LT((CivilDate{2014, 12, 31}), (CivilDate{2015, 1, 1}));
}

TEST(CivilDate, TodayInChinaFromTheSystemClockIsAValidRecentDate) {
  CivilDate today = CivilDate::TodayInChina(platform::SystemClock());
  ASSERT_TRUE(today.IsValid());
  EXPECT_GE(today.year, 2024);
}

TEST(CivilDate, TodayInChinaChangesAtMidnightInChinaWhichIs1600Utc) {
  // 2026-03-15T15:59:59.999Z is 23:59:59.999 on 15 March in China; one millisecond later it is
  // 00:00 on 16 March there, while in UTC it is still 15 March.
  const std::int64_t utc_1600 = CivilDate{2026, 3, 15}.ToDays() * 86'400'000 + 16 * 3'600'000;
  platform::TestClock clock(utc_1600 - 1);
  EXPECT_EQ(CivilDate::TodayInChina(clock), (CivilDate{2026, 3, 15}));
  clock.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(CivilDate::TodayInChina(clock), (CivilDate{2026, 3, 16}));
  EXPECT_EQ(CivilDate::InChinaAt(static_cast<std::uint64_t>(utc_1600)), (CivilDate{2026, 3, 16}));
  // The last day of a year in China starts at 16:00 UTC on 30 December.
  clock.SetWallMs(CivilDate{2025, 12, 31}.ToDays() * 86'400'000 + 16 * 3'600'000);
  EXPECT_EQ(CivilDate::TodayInChina(clock), (CivilDate{2026, 1, 1}));
}

TEST(CivilDate, AgeInCompletedMonths) {
  const AgeRow rows[] = {
      {{2025, 1, 15}, {2025, 1, 15}, 0},  {{2025, 1, 15}, {2025, 2, 14}, 0},
      {{2025, 1, 15}, {2025, 2, 15}, 1},  {{2024, 11, 15}, {2026, 1, 20}, 14},
      {{2025, 1, 31}, {2025, 2, 28}, 0},  // 31 February does not exist ...
      {{2025, 1, 31}, {2025, 3, 1}, 1},   // ... the month is complete on 1 March
      {{2024, 2, 29}, {2025, 2, 28}, 11}, {{2024, 2, 29}, {2025, 3, 1}, 12},
      {{2024, 2, 29}, {2024, 3, 29}, 1},  {{2025, 5, 1}, {2025, 4, 30}, -1},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(AgeInMonths(row.birth, row.on), row.age)
        << row.birth.ToString() << " on " << row.on.ToString();
  }
}

}  // namespace
}  // namespace onecard
