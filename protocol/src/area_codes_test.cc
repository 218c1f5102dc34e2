#include "onecard/protocol/area_codes.h"

#include <gtest/gtest.h>

namespace onecard {
namespace {

struct KnownRow {
  const char* code;
  const char* name;
  AreaLevel level;
};

TEST(AreaCodes, CodesTheProductDependsOnArePresent) {
  const KnownRow rows[] = {
      {"320000", "江苏省", AreaLevel::kProvince},
      {"321300", "宿迁市", AreaLevel::kPrefecture},
      {"321324", "泗洪县", AreaLevel::kCounty},
      {"440000", "广东省", AreaLevel::kProvince},
      {"440300", "深圳市", AreaLevel::kPrefecture},
      {"440306", "宝安区", AreaLevel::kCounty},
      {"110000", "北京市", AreaLevel::kProvince},
      {"110100", "市辖区", AreaLevel::kPrefecture},
      {"310000", "上海市", AreaLevel::kProvince},
      {"441900", "东莞市", AreaLevel::kPrefecture},
      {"810000", "香港特别行政区", AreaLevel::kProvince},
  };
  for (const auto& row : rows) {
    EXPECT_TRUE(IsKnownArea(row.code)) << row.code;
    EXPECT_EQ(AreaName(row.code).value_or("?"), row.name) << row.code;
    EXPECT_EQ(AreaLevelOf(row.code), row.level) << row.code;
  }
  EXPECT_GT(KnownAreaCount(), 3000u);
}

TEST(AreaCodes, UnknownAndMalformedCodes) {
  for (const char* code : {"999999", "320571",  // statistical zone, not a GB/T 2260 division
                           "321399", "000000", "32132", "3213245", "32132a", "", " 321324"}) {
    EXPECT_FALSE(IsKnownArea(code)) << code;
    EXPECT_FALSE(AreaName(code).has_value()) << code;
  }
  EXPECT_FALSE(AreaLevelOf("000000").has_value());
  EXPECT_FALSE(AreaLevelOf("12345").has_value());
  EXPECT_EQ(AreaLevelOf("321399"), AreaLevel::kCounty);  // by shape, known or not
}

TEST(AreaCodes, AreasUnderListsOneLevelDown) {
  auto provinces = AreasUnder("");
  ASSERT_TRUE(provinces.has_value());
  EXPECT_EQ(provinces->size(), 34u);  // 31 mainland, Taiwan, Hong Kong, Macao
  EXPECT_EQ(provinces->front(), (std::pair<std::string, std::string>{"110000", "北京市"}));

  auto guangdong = AreasUnder("44");
  ASSERT_TRUE(guangdong.has_value());
  EXPECT_EQ(guangdong, AreasUnder("440000"));
  bool shenzhen = false;
  for (const auto& [code, name] : *guangdong) {
    EXPECT_TRUE(code.starts_with("44") && code.ends_with("00") && code != "440000") << code;
    shenzhen = shenzhen || (code == "440300" && name == "深圳市");
  }
  EXPECT_TRUE(shenzhen);

  auto suqian = AreasUnder("3213");
  ASSERT_TRUE(suqian.has_value());
  ASSERT_EQ(suqian->size(), 5u);
  EXPECT_EQ(suqian->back(), (std::pair<std::string, std::string>{"321324", "泗洪县"}));

  EXPECT_EQ(AreasUnder("321324"), std::nullopt);  // a county has nothing under it
  EXPECT_EQ(AreasUnder("4"), std::nullopt);
  EXPECT_EQ(AreasUnder("99"), std::nullopt);
  EXPECT_EQ(AreasUnder("44x3"), std::nullopt);
}

}  // namespace
}  // namespace onecard
