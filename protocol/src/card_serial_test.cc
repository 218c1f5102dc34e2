#include "onecard/protocol/card_serial.h"

#include <gtest/gtest.h>

namespace onecard {
namespace {

struct SerialCase {
  const char* name;
  const char* input;
  const char* normalized;  // nullptr: rejected
};

class CardSerialTest : public ::testing::TestWithParam<SerialCase> {};

TEST_P(CardSerialTest, Normalizes) {
  const SerialCase& c = GetParam();
  auto got = NormalizeCardSerial(c.input);
  if (c.normalized == nullptr) {
    EXPECT_FALSE(got.has_value()) << *got;
  } else {
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, c.normalized);
    EXPECT_TRUE(IsCardSerialText(*got));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, CardSerialTest,
    ::testing::Values(SerialCase{"Printed", "0A1B2C3D4E5F6071", "0A1B2C3D4E5F6071"},
                      SerialCase{"LowerCase", "0a1b2c3d4e5f6071", "0A1B2C3D4E5F6071"},
                      SerialCase{"Grouped", " 0a1b 2c3d-4e5f 6071 ", "0A1B2C3D4E5F6071"},
                      SerialCase{"TooShort", "0A1B2C3D4E5F607", nullptr},
                      SerialCase{"TooLong", "0A1B2C3D4E5F60712", nullptr},
                      SerialCase{"NotHex", "0A1B2C3D4E5F607G", nullptr},
                      SerialCase{"Empty", "", nullptr},
                      SerialCase{"Unicode", "０A1B2C3D4E5F6071", nullptr}),
    [](const ::testing::TestParamInfo<SerialCase>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(CardSerialText, OnlyUpperCaseHexOfSixteen) {
  EXPECT_TRUE(IsCardSerialText("FFFFFFFFFFFFFFFF"));
  EXPECT_FALSE(IsCardSerialText("ffffffffffffffff"));
  EXPECT_FALSE(IsCardSerialText("FFFFFFFFFFFFFFF"));
}

}  // namespace
}  // namespace onecard
