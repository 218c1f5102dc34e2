#include "onecard/protocol/person_name.h"

#include <gtest/gtest.h>

#include "onecard/protocol/i18n.h"
#include "test_language_scope.h"

namespace onecard {
namespace {

using testing::LanguageScope;

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

struct NameRow {
  std::string input;
  bool ok;
  std::string normalized;  // when ok
};

TEST(PersonName, Rules) {
  const NameRow rows[] = {
      {"张小明", true, "张小明"},
      {"  张小明　", true, "张小明"},  // ASCII and ideographic spaces trimmed
      {"阿依夏木·吐尔逊", true, "阿依夏木·吐尔逊"},
      {"阿依夏木\u2027吐尔逊", true, "阿依夏木·吐尔逊"},  // hyphenation point → ·
      {"阿依夏木\u30FB吐尔逊", true, "阿依夏木·吐尔逊"},  // katakana middle dot → ·
      {"阿依夏木\uFF0E吐尔逊", true, "阿依夏木·吐尔逊"},  // fullwidth full stop → ·
      {"Ayixiamu Tuerxun", true, "Ayixiamu Tuerxun"},
      {"Ayixiamu   Tuerxun", true, "Ayixiamu Tuerxun"},  // runs of spaces collapse
      {"Lü Xiaoming", true, "Lü Xiaoming"},
      {"王〇", true, "王〇"},
      {"𠀀", true, "𠀀"},  // CJK Extension B
      {Repeat("张", 50), true, Repeat("张", 50)},
      {Repeat("a", 50), true, Repeat("a", 50)},
      {"", false, ""},
      {"   ", false, ""},
      {"张三3", false, ""},
      {"张 三", false, ""},  // space between Han characters
      {"·张三", false, ""},
      {"张三·", false, ""},
      {"张··三", false, ""},
      {"张\u2022三", false, ""},  // bullet is not a middle dot
      {"张-三", false, ""},
      {"张\n三", false, ""},
      {"Tom_", false, ""},
      {"Ivan×", false, ""},
      {"\xE5\xBC", false, ""},      // truncated UTF-8
      {"\xC0\xAF", false, ""},      // overlong
      {"\xED\xA0\x80", false, ""},  // surrogate
      {Repeat("张", 51), false, ""},
  };
  for (const auto& row : rows) {
    auto r = NormalizePersonName(row.input, "guardians[0].name");
    EXPECT_EQ(r.ok(), row.ok) << row.input << ": " << r.status().message();
    if (row.ok && r.ok()) {
      EXPECT_EQ(*r, row.normalized);
    }
    EXPECT_EQ(ValidatePersonName(row.input, "x").ok(), row.ok) << row.input;
  }
}

TEST(PersonName, ErrorsNameTheFieldInBothLanguages) {
  LanguageScope keep_language;
  for (Language lang : {Language::kEn, Language::kZh}) {
    SetLanguage(lang);
    Status s = ValidatePersonName("张三3", "guardians[1].name");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(s.message().find("guardians[1].name"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find(lang == Language::kEn ? "field" : "字段"), std::string::npos)
        << s.message();
  }
}

TEST(FreeText, TrimsAndBounds) {
  EXPECT_EQ(NormalizeFreeText("  深圳市宝安区 1 号 ", "residence_address", 200).value(),
            "深圳市宝安区 1 号");
  EXPECT_TRUE(NormalizeFreeText(std::string(200, 'a'), "a", 200).ok());
  EXPECT_FALSE(NormalizeFreeText(std::string(201, 'a'), "a", 200).ok());
  EXPECT_FALSE(NormalizeFreeText("  ", "a", 200).ok());
  EXPECT_FALSE(NormalizeFreeText("a\x01"
                                 "b",
                                 "a", 200)
                   .ok());
  EXPECT_FALSE(NormalizeFreeText("a\nb", "a", 200).ok());
  EXPECT_FALSE(NormalizeFreeText("\xff", "a", 200).ok());
}

}  // namespace
}  // namespace onecard
