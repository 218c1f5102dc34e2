#include "onecard/protocol/identity_han.h"

#include <gtest/gtest.h>

namespace onecard {
namespace {

TEST(IdentityHan, SimplifiedAndTraditionalForms) {
  struct Case {
    char32_t traditional, simplified;
  };
  const Case cases[] = {{U'張', U'张'}, {U'陳', U'陈'}, {U'劉', U'刘'}, {U'麗', U'丽'},
                        {U'華', U'华'}, {U'偉', U'伟'}, {U'強', U'强'}, {U'國', U'国'}};
  for (const Case& c : cases) {
    EXPECT_EQ(SimplifiedHan(c.traditional), c.simplified);
    EXPECT_EQ(SimplifiedHan(TraditionalHan(c.simplified)), c.simplified);
    EXPECT_NE(TraditionalHan(c.simplified), c.simplified);
  }
  EXPECT_EQ(SimplifiedHan(U'王'), U'王');  // no other form
  EXPECT_EQ(TraditionalHan(U'王'), U'王');
  EXPECT_EQ(SimplifiedHan(U'a'), U'a');
}

TEST(IdentityHan, TonedReadings) {
  struct Case {
    char32_t c;
    const char* syllable;
    int tone;
  };
  const Case cases[] = {{U'王', "wang", 2},  {U'李', "li", 3}, {U'张', "zhang", 1},
                        {U'張', "zhang", 1}, {U'丽', "li", 4}, {U'吕', "lv", 3},
                        {U'陈', "chen", 2},  {U'的', "de", 5}};
  for (const Case& c : cases) {
    HanReading r = ReadingOfHan(c.c);
    EXPECT_EQ(PinyinSyllableText(r.syllable), c.syllable) << static_cast<std::uint32_t>(c.c);
    EXPECT_EQ(r.tone, c.tone) << c.syllable;
  }
  EXPECT_EQ(ReadingOfHan(U'x').syllable, 0);
  EXPECT_GT(PinyinSyllableCount(), 380u);
  EXPECT_EQ(PinyinSyllableText(0), "");
}

TEST(IdentityHan, NearSyllables) {
  struct Case {
    char32_t a, b;
    bool near;
  };
  const Case cases[] = {
      {U'宁', U'玲', true},                          // n/l
      {U'张', U'赞', true},                          // zh/z + ang/an
      {U'林', U'玲', true},                          // in/ing
      {U'帆', U'欢', true},                          // f/h
      {U'师', U'丝', true},                          // sh/s
      {U'涵', U'轩', false},                         // han / xuan
      {U'明', U'强', false}, {U'王', U'汪', false},  // same syllable: a homophone, not "near"
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NearPinyinSyllables(ReadingOfHan(c.a).syllable, ReadingOfHan(c.b).syllable), c.near)
        << PinyinSyllableText(ReadingOfHan(c.a).syllable) << " "
        << PinyinSyllableText(ReadingOfHan(c.b).syllable);
  }
  EXPECT_FALSE(NearPinyinSyllables(0, 0));
}

}  // namespace
}  // namespace onecard
