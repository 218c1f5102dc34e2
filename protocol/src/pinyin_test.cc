#include "onecard/protocol/pinyin.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace onecard {
namespace {

bool Matches(const std::string& name, const std::string& query) {
  std::string q = NormalizeNameQuery(query);
  if (q.empty()) return false;
  for (const std::string& key : NameSearchKeys(name)) {
    if (key.compare(0, q.size(), q) == 0) return true;
  }
  return false;
}

TEST(Pinyin, ReadingsOfCommonNameCharacters) {
  struct Case {
    char32_t c;
    const char* reading;
  };
  const Case cases[] = {{U'王', "wang"}, {U'小', "xiao"},  {U'明', "ming"}, {U'李', "li"},
                        {U'娜', "na"},   {U'张', "zhang"}, {U'刘', "liu"},  {U'陈', "chen"},
                        {U'吕', "lv"},   {U'女', "nv"},    {U'绿', "lv"},   {U'欧', "ou"},
                        {U'阳', "yang"}, {U'芳', "fang"}};
  for (const Case& c : cases) {
    const auto& readings = PinyinReadings(c.c);
    ASSERT_FALSE(readings.empty()) << c.reading;
    EXPECT_EQ(readings.front(), c.reading);
  }
  EXPECT_TRUE(PinyinReadings(U'a').empty());
  EXPECT_TRUE(PinyinReadings(U'·').empty());
  // Family-name readings come after the common one.
  const auto& shan = PinyinReadings(U'单');
  EXPECT_EQ(shan.front(), "dan");
  EXPECT_NE(std::find(shan.begin(), shan.end(), "shan"), shan.end());
}

TEST(Pinyin, NamePinyin) {
  EXPECT_EQ(NamePinyin("王小明"), "wang xiao ming");
  EXPECT_EQ(NamePinyin("阿依古丽·买买提"), "a yi gu li mai mai ti");
  EXPECT_EQ(NamePinyin("Ayla Li"), "ayla li");
  EXPECT_EQ(NamePinyin("吕娜"), "lv na");
  EXPECT_EQ(NamePinyin(""), "");
}

TEST(Pinyin, NameSearchMatchesHanAndTonelessPinyin) {
  struct Case {
    const char* name;
    const char* query;
    bool match;
  };
  const Case cases[] = {
      {"王小明", "王小明", true},
      {"王小明", "小明", true},
      {"王小明", "明", true},
      {"王小明", "王", true},
      {"王小明", "wang xiaoming", true},
      {"王小明", "wangxiaoming", true},
      {"王小明", "Wang Xiaoming", true},
      {"王小明", "xiaoming", true},
      {"王小明", "xiao ming", true},
      {"王小明", "ming", true},
      {"王小明", "wang", true},
      {"王小明", "wangx", true},     // typing in progress: a prefix of a syllable
      {"王小明", "iaoming", false},  // not from a syllable boundary
      {"王小明", "wang xiaohong", false},
      {"王小明", "王晓明", false},
      {"王小明", "李", false},
      {"阿依古丽·买买提", "买买提", true},
      {"阿依古丽·买买提", "阿依古丽·买买提", true},
      {"阿依古丽·买买提", "阿依古丽买买提", true},
      {"阿依古丽·买买提", "ayiguli maimaiti", true},
      {"阿依古丽·买买提", "a yi gu li", true},
      {"阿依古丽·买买提", "maimaiti", true},
      {"吕娜", "lv na", true},
      {"吕娜", "lü na", true},
      {"吕娜", "lu:na", true},
      {"单小红", "shan xiaohong", true},  // family-name reading
      {"单小红", "dan xiaohong", true},   // common reading
      {"曾志强", "zeng zhiqiang", true},
      {"简单", "jianshan", false},  // the family-name reading is used for the first character only
      {"Ayla Li", "li", true},
      {"Ayla Li", "AYLA", true},
      {"Ayla Li", "yla", false},
  };
  for (const Case& c : cases)
    EXPECT_EQ(Matches(c.name, c.query), c.match) << c.name << " / " << c.query;
}

TEST(Pinyin, QueriesAreNormalisedAndHostileInputIsHarmless) {
  EXPECT_EQ(NormalizeNameQuery("  Wang Xiao'ming "), "wangxiaoming");
  EXPECT_EQ(NormalizeNameQuery("王 小明"), "王小明");
  EXPECT_EQ(NormalizeNameQuery("Lü"), "lv");
  EXPECT_EQ(NormalizeNameQuery("123 !?"), "");
  EXPECT_EQ(NormalizeNameQuery(std::string("\xFF\xFE\xE7\x8E", 4)), "");
  EXPECT_EQ(NormalizeNameQuery(std::string("wa\xC0ng", 5)), "wang");
  EXPECT_TRUE(NameSearchKeys(std::string("\xF0\x28\x8C\xBC", 4)).empty() ||
              !NameSearchKeys(std::string("\xF0\x28\x8C\xBC", 4)).front().empty());
  // Keys never contain byte 0xFF (the search's upper bound relies on it).
  for (const std::string& key : NameSearchKeys("阿依古丽·买买提 Ayla"))
    EXPECT_EQ(key.find('\xFF'), std::string::npos);
}

}  // namespace
}  // namespace onecard
