#include "onecard/protocol/number_text.h"

#include <gtest/gtest.h>

namespace onecard {
namespace {

TEST(NumberTextTest, IntegersAreTheWholeTextOrNothing) {
  struct Case {
    const char* text;
    std::optional<int64_t> signed_value;
    std::optional<uint64_t> unsigned_value;
  };
  const Case cases[] = {
      {"0", 0, 0u},
      {"42", 42, 42u},
      {"-7", -7, std::nullopt},
      {"9223372036854775807", INT64_MAX, 9223372036854775807u},
      {"9223372036854775808", std::nullopt, 9223372036854775808u},
      {"18446744073709551616", std::nullopt, std::nullopt},
      {"", std::nullopt, std::nullopt},
      {"abcd", std::nullopt, std::nullopt},
      {"12abc", std::nullopt, std::nullopt},
      {" 12", std::nullopt, std::nullopt},
      {"+12", std::nullopt, std::nullopt},
      {"1.5", std::nullopt, std::nullopt},
      {"ef", std::nullopt, std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ParseInt64(c.text), c.signed_value) << c.text;
    EXPECT_EQ(ParseUint64(c.text), c.unsigned_value) << c.text;
  }
}

TEST(NumberTextTest, DoublesAreFiniteAndWhole) {
  EXPECT_EQ(ParseDouble("0.500000"), 0.5);
  EXPECT_EQ(ParseDouble("-3"), -3.0);
  EXPECT_EQ(ParseDouble("1e3"), 1000.0);
  for (const char* bad : {"", "abc", "0.5x", "nan", "inf", "-inf", "1e999", " 1"}) {
    EXPECT_EQ(ParseDouble(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace onecard
