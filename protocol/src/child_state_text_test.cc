#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "onecard/protocol/child_state.h"

namespace onecard {
namespace {

using nlohmann::json;

TEST(ChildStateText, IsExactlyTheDumpOfToJson) {
  ChildState empty("c-0");
  EXPECT_EQ(empty.ToJsonText(), empty.ToJson().dump());

  ChildState s("c-\"1\"\n");
  s.Apply({{"name", "李·阿依"},
           {"zz", nullptr},
           {"a\tb", 1.5},
           {"consent", {{"by", "王强"}, {"date", "2026-10-01"}}},
           {"immunizations", json::array({{{"vaccine", "BCG"}, {"dose", 1}}})}},
          Stamp{uint64_t{1} << 62, "T-\"x\"", 18446744073709551615ull});
  s.Apply({{"name", "张三"}, {"sex", "F"}, {"Zeta", -3}}, Stamp{uint64_t{1} << 63, "T2", 4});
  // Every byte JSON escapes, and some it does not (DEL, '/', UTF-8), in a string value.
  std::string awkward = "a\\b\"c/\x7f é";
  for (char c = 0; c < 0x20; ++c) awkward += c;
  s.Apply({{"residence_address", awkward}}, Stamp{5, "T3", 1});
  const std::string text = s.ToJsonText();
  EXPECT_EQ(text, s.ToJson().dump());
  auto back = ChildState::FromJson(json::parse(text));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->ToJson(), s.ToJson());

  // With the merge parts (protocol/docs/merge.md): a conflict ("c"), superseded stamps ("x") and
  // a dose set with a removal.
  ChildState m("c-2");
  m.Apply({{"name", "王小明"}}, Stamp{10, "T1", 1});
  m.Apply({{"name", "王晓明"}}, Stamp{20, "T2", 1});
  ChildChange edit =
      m.ChangeTo({{"category", "migrant"},
                  {"immunizations", json::array({{{"vaccine", "MMR"}, {"dose", 1}}})}});
  m.ApplyChange(edit, Stamp{30, "T1", 2});
  m.ApplyChange(m.ChangeTo({{"category", "left_behind"}, {"immunizations", json::array()}}),
                Stamp{40, "T1", 3});
  m.Apply({{"name", "汪小明"}}, Stamp{15, "T3", 1});
  ASSERT_TRUE(m.HasConflicts());
  EXPECT_EQ(m.ToJsonText(), m.ToJson().dump());
  ChildState resolved = m;
  resolved.ApplyChange(resolved.ChangeTo({{"name", "王晓明"}}), Stamp{50, "T2", 2});
  EXPECT_FALSE(resolved.HasConflicts());
  EXPECT_EQ(resolved.ToJsonText(), resolved.ToJson().dump());
}

}  // namespace
}  // namespace onecard
