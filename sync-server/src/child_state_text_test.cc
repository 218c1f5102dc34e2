#include "child_state_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace onecard::server {
namespace {

using nlohmann::json;

TEST(ChildStateJsonText, IsExactlyTheDumpOfToJson) {
  ChildState empty("c-0");
  EXPECT_EQ(ChildStateJsonText(empty), empty.ToJson().dump());

  ChildState s("c-\"1\"\n");
  s.Apply({{"name", "李·阿依"},
           {"zz", nullptr},
           {"a\tb", 1.5},
           {"consent", {{"by", "王强"}, {"date", "2026-10-01"}}},
           {"immunizations", json::array({{{"vaccine", "BCG"}, {"dose", 1}}})}},
          Stamp{uint64_t{1} << 62, "T-\"x\"", 18446744073709551615ull});
  s.Apply({{"name", "张三"}, {"sex", "F"}, {"Zeta", -3}}, Stamp{uint64_t{1} << 63, "T2", 4});
  const std::string text = ChildStateJsonText(s);
  EXPECT_EQ(text, s.ToJson().dump());
  auto back = ChildState::FromJson(json::parse(text));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->ToJson(), s.ToJson());
}

}  // namespace
}  // namespace onecard::server
