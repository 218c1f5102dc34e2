#include "onecard/protocol/id_number.h"

#include <gtest/gtest.h>

#include "onecard/protocol/i18n.h"
#include "test_language_scope.h"

namespace onecard {
namespace {

using testing::LanguageScope;

// Real-format examples whose check characters were computed by hand (weights 7 9 10 5 8 4 2 1 6 3
// 7 9 10 5 8 4 2, check = (12 - sum mod 11) mod 11, 10 → X):
//   11010519491231002X: sum 167, 167 mod 11 = 2 → 10 → X; sequence 002 → female.
//   440524188001010014: sum 195, 195 mod 11 = 8 → 4; sequence 001 → male.
//   321324201503010037: sum 159, 159 mod 11 = 5 → 7; sequence 003 → male.
struct ValidRow {
  const char* id;
  const char* normalized;
  const char* area;
  CivilDate birth;
  char sex;
};

TEST(IdNumber, AcceptsValidNumbers) {
  const ValidRow rows[] = {
      {"11010519491231002X", "11010519491231002X", "110105", {1949, 12, 31}, 'F'},
      {"11010519491231002x", "11010519491231002X", "110105", {1949, 12, 31}, 'F'},  // lowercase x
      {"440524188001010014", "440524188001010014", "440524", {1880, 1, 1}, 'M'},
      {"321324201503010037", "321324201503010037", "321324", {2015, 3, 1}, 'M'},
  };
  for (const auto& row : rows) {
    auto r = ParseIdNumber(row.id);
    ASSERT_TRUE(r.ok()) << row.id << ": " << r.status().message();
    EXPECT_EQ(r->number, row.normalized);
    EXPECT_EQ(r->area, row.area);
    EXPECT_EQ(r->birth_date, row.birth);
    EXPECT_EQ(r->sex, row.sex);
  }
}

TEST(IdNumber, MakeIdNumberAgreesWithHandComputedExamples) {
  EXPECT_EQ(MakeIdNumber("110105", {1949, 12, 31}, 2), "11010519491231002X");
  EXPECT_EQ(MakeIdNumber("440524", {1880, 1, 1}, 1), "440524188001010014");
  EXPECT_EQ(MakeIdNumber("321324", {2015, 3, 1}, 3), "321324201503010037");
}

TEST(IdNumber, GeneratedNumbersParseBackForEverySequence) {
  for (int seq = 0; seq <= 999; seq += 37) {
    std::string id = MakeIdNumber("440306", {2012, 7, 15}, seq);
    auto r = ParseIdNumber(id);
    ASSERT_TRUE(r.ok()) << id;
    EXPECT_EQ(r->sex, seq % 2 == 1 ? 'M' : 'F');
    EXPECT_EQ(r->birth_date, (CivilDate{2012, 7, 15}));
  }
}

struct InvalidRow {
  const char* id;
  const char* why;  // fragment of the English message
};

TEST(IdNumber, RejectsInvalidNumbers) {
  LanguageScope keep_language;
  SetLanguage(Language::kEn);
  const InvalidRow rows[] = {
      {"110105194912310021", "check character"},  // wrong check char (should be X)
      {"440524188001010015", "check character"},
      {"321324201503010038", "check character"},
      {"32132420150230003X", "birth date"},  // 2015-02-30 (the check char is irrelevant)
      {"321324201513010030", "birth date"},  // month 13
      {"321324179912310030", "birth date"},  // before 1800
      {"991324201503010037", "province"},
      {"001324201503010037", "province"},
      {"32132420150301003", "18 characters"},
      {"3213242015030100377", "18 characters"},
      {"", "18 characters"},
      {"32132420150301003Y", "digits"},
      {"3213242015O3010037", "digits"},  // letter O
      {"X21324201503010037", "digits"},
      {"３２1324201503010037", "18 characters"},  // fullwidth digits are more bytes
  };
  for (const auto& row : rows) {
    auto r = ParseIdNumber(row.id);
    ASSERT_FALSE(r.ok()) << row.id;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(row.why), std::string::npos)
        << row.id << ": " << r.status().message();
  }
}

TEST(IdNumber, ProvincePrefixes) {
  for (const char* p :
       {"11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65", "71", "81", "82"}) {
    EXPECT_TRUE(IsIdNumberProvince(p)) << p;
  }
  for (const char* p : {"10", "16", "20", "24", "30", "38", "40", "47", "49",  "55",
                        "60", "66", "70", "72", "80", "83", "99", "1",  "111", "1a"}) {
    EXPECT_FALSE(IsIdNumberProvince(p)) << p;
  }
}

TEST(IdNumber, ChineseMessage) {
  LanguageScope keep_language;
  SetLanguage(Language::kZh);
  auto r = ParseIdNumber("110105194912310021");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("校验位"), std::string::npos);
}

}  // namespace
}  // namespace onecard
