#include "onecard/protocol/child_state.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "onecard/protocol/hybrid_clock.h"

namespace onecard {
namespace {

using nlohmann::json;

TEST(ChildState, LaterStampWinsPerFieldAndDifferentFieldsBothKept) {
  ChildState s("T1-1");
  EXPECT_TRUE(s.Apply({{"name", "王小明"}, {"residence_area", "321324"}}, Stamp{10, "T1", 1}));
  EXPECT_TRUE(s.Apply({{"residence_area", "440306"}}, Stamp{20, "T2", 1}));
  // Without a base an older change is concurrent: it is kept as a losing value (a conflict).
  EXPECT_TRUE(s.Apply({{"residence_area", "320000"}}, Stamp{15, "T1", 2}));
  EXPECT_FALSE(s.Apply({{"residence_area", "320000"}}, Stamp{15, "T1", 2}));
  EXPECT_TRUE(s.Apply({{"school", {{"status", "enrolled"}}}}, Stamp{12, "T1", 3}));
  json r = s.Record();
  EXPECT_EQ(r["residence_area"], "440306");
  EXPECT_EQ(r["name"], "王小明");
  EXPECT_EQ(r["school"]["status"], "enrolled");
  EXPECT_EQ(r["child_id"], "T1-1");
  EXPECT_EQ(s.Latest(), (Stamp{20, "T2", 1}));
  ASSERT_EQ(s.Conflicts().size(), 1u);
  EXPECT_EQ(s.Conflicts()[0].field, "residence_area");
}

// school is one field: its stage and grade must agree, so two sites' concurrent edits of them are
// never combined into a pair nobody entered (junior with grade 3); they meet as a conflict.
TEST(ChildState, SchoolStageAndGradeMergeAsOneValue) {
  ChildState s("T1-1");
  json primary_3 = {{"stage", "primary"}, {"grade", 3}, {"status", "enrolled"}};
  json junior = {{"stage", "junior"}, {"status", "enrolled"}};
  json primary_4 = {{"stage", "primary"}, {"grade", 4}, {"status", "enrolled"}};
  EXPECT_TRUE(s.Apply({{"school", primary_3}}, Stamp{10, "T1", 1}));
  EXPECT_TRUE(s.Apply({{"school", junior}}, Stamp{20, "T2", 1}));
  EXPECT_TRUE(s.Apply({{"school", primary_4}}, Stamp{15, "T3", 1}));
  EXPECT_EQ(s.Record()["school"], junior);
  ASSERT_EQ(s.Conflicts().size(), 1u);
  EXPECT_EQ(s.Conflicts()[0].field, "school");
  EXPECT_EQ(s.Conflicts()[0].values.size(), 3u);
}

TEST(ChildState, EqualHlcTieBrokenByTerminalThenSeq) {
  ChildState a("c"), b("c");
  a.Apply({{"name", "A"}}, Stamp{5, "T1", 9});
  a.Apply({{"name", "B"}}, Stamp{5, "T2", 1});
  b.Apply({{"name", "B"}}, Stamp{5, "T2", 1});
  b.Apply({{"name", "A"}}, Stamp{5, "T1", 9});
  EXPECT_EQ(a.Record(), b.Record());
  EXPECT_EQ(a.Record()["name"], "B");
}

TEST(ChildState, NullRemovesFieldFromRecord) {
  ChildState s("c");
  s.Apply({{"id_number", "x"}}, Stamp{1, "T", 1});
  s.Apply({{"id_number", nullptr}}, Stamp{2, "T", 2});
  EXPECT_FALSE(s.Record().contains("id_number"));
}

TEST(ChildState, MergeIsOrderIndependent) {
  std::vector<std::pair<json, Stamp>> changes;
  std::mt19937 rng(42);
  const char* fields[] = {"name", "residence_area", "school", "category"};
  for (uint64_t i = 0; i < 40; ++i) {
    changes.push_back({json{{fields[rng() % 4], std::to_string(rng() % 1000)}},
                       Stamp{rng() % 10, "T" + std::to_string(rng() % 3), i}});
  }
  ChildState reference("c");
  for (const auto& [f, s] : changes) reference.Apply(f, s);
  for (int round = 0; round < 50; ++round) {
    std::shuffle(changes.begin(), changes.end(), rng);
    // Split into two replicas, then merge them.
    ChildState r1("c"), r2("c");
    for (size_t i = 0; i < changes.size(); ++i)
      (i % 2 ? r1 : r2).Apply(changes[i].first, changes[i].second);
    r1.Merge(r2);
    EXPECT_EQ(r1.ToJson(), reference.ToJson());
  }
}

TEST(ChildState, JsonRoundTripAndMalformedRejected) {
  ChildState s("c-1");
  s.Apply(
      {{"name", "李·阿依"}, {"immunizations", json::array({{{"vaccine", "BCG"}, {"dose", 1}}})}},
      Stamp{7, "T", 3});
  auto back = ChildState::FromJson(s.ToJson());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->ToJson(), s.ToJson());
  EXPECT_FALSE(ChildState::FromJson(json::array()).ok());
  EXPECT_FALSE(
      ChildState::FromJson(json{{"child_id", "c"}, {"fields", {{"name", {{"v", 1}}}}}}).ok());
  EXPECT_FALSE(ChildState::FromJson(
                   json{{"child_id", "c"}, {"fields", {{"name", {{"v", 1}, {"s", {1, 2, 3}}}}}}})
                   .ok());
}

TEST(HybridClock, MonotonicAndAheadOfObserved) {
  HybridClock c;
  uint64_t a = c.Now(1000);
  uint64_t b = c.Now(1000);
  uint64_t d = c.Now(999);  // wall clock stepped back
  EXPECT_LT(a, b);
  EXPECT_LT(b, d);
  c.Observe(HybridClock(0).Now(5000));
  uint64_t e = c.Now(1001);
  EXPECT_GT(e, uint64_t{5000} << 16);
  EXPECT_EQ(HybridClock::PhysicalMs(a), 1000u);
}

}  // namespace
}  // namespace onecard
