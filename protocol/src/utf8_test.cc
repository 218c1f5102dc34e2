#include "onecard/protocol/utf8.h"

#include <gtest/gtest.h>

namespace onecard {
namespace {

TEST(Utf8, RoundTripOfOneToFourByteForms) {
  const std::u32string expected = {U'王', U'a', U'·', U'\U00020000'};
  EXPECT_EQ(DecodeUtf8Lenient("王a·𠀀"), expected);
  EXPECT_EQ(DecodeUtf8Strict("王a·𠀀"), expected);
  std::string encoded;
  for (char32_t c : expected) AppendUtf8(encoded, c);
  EXPECT_EQ(encoded, "王a·𠀀");
}

TEST(Utf8, MalformedInputIsRefusedStrictlyAndReplacedLeniently) {
  struct Case {
    const char* label;
    std::string_view bytes;
    std::u32string lenient;
  };
  const Case cases[] = {
      {"truncated", "\xE7\x8E", {0xFFFD, 0xFFFD}},
      {"overlong", "\xC0\x80", {0xFFFD, 0xFFFD}},
      {"surrogate", "\xED\xA0\x80", {0xFFFD, 0xFFFD, 0xFFFD}},
      {"above U+10FFFF", "\xF4\x90\x80\x80", {0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD}},
      {"lone continuation",
       "a\x80"
       "b",
       {U'a', 0xFFFD, U'b'}},
  };
  for (const Case& c : cases) {
    EXPECT_FALSE(DecodeUtf8Strict(c.bytes).has_value()) << c.label;
    EXPECT_EQ(DecodeUtf8Lenient(c.bytes), c.lenient) << c.label;
  }
}

TEST(Utf8, EscapeMalformedKeepsValidTextAndShowsEachBadByte) {
  EXPECT_EQ(EscapeMalformedUtf8("王a·𠀀"), "王a·𠀀");
  EXPECT_EQ(EscapeMalformedUtf8("a\x80"
                                "b"),
            "a\\x80b");
  EXPECT_EQ(EscapeMalformedUtf8("\"王\xE7\x8E'"), "\"王\\xE7\\x8E'");
  EXPECT_EQ(EscapeMalformedUtf8("\xFF\xfe"), "\\xFF\\xFE");
  EXPECT_TRUE(
      DecodeUtf8Strict(EscapeMalformedUtf8("\xC0\x80\xED\xA0\x80\xF4\x90\x80\x80")).has_value());
}

TEST(Utf8, DecodeAtAlwaysAdvances) {
  const Utf8CodePoint bad = DecodeUtf8At("\xFF", 0);
  EXPECT_FALSE(bad.valid);
  EXPECT_EQ(bad.length, 1u);
  const Utf8CodePoint han = DecodeUtf8At("x王", 1);
  EXPECT_TRUE(han.valid);
  EXPECT_EQ(han.value, U'王');
  EXPECT_EQ(han.length, 3u);
}

}  // namespace
}  // namespace onecard
