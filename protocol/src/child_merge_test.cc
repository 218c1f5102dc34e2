// Merge semantics of protocol/docs/merge.md: bases, conflicts and their resolution, the dose set,
// and the wire form of a change.
#include <gtest/gtest.h>

#include "onecard/protocol/child_change.h"
#include "onecard/protocol/child_state.h"

namespace onecard {
namespace {

using nlohmann::json;

// An edit made at `at` (a replica holding what its editor saw), applied there, returned as the
// payload an event would carry.
json Edit(ChildState& at, const json& fields, const Stamp& stamp) {
  ChildChange change = at.ChangeTo(fields);
  json payload = {{"child_id", at.child_id()}};
  change.WriteTo(payload);
  at.ApplyChange(change, stamp);
  return payload;
}

bool Deliver(ChildState& to, json payload, const Stamp& stamp) {
  Result<bool> r = to.ApplyPayload(payload, stamp);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() && *r;
}

const Stamp kReg{100, "T1", 1};

ChildState Registered() {
  ChildState s("T1-1");
  s.Apply({{"name", "王小明"}, {"residence_area", "321324"}, {"category", "left_behind"}}, kReg);
  return s;
}

TEST(ChildMerge, SequentialEditSupersedesWithoutConflict) {
  ChildState t1 = Registered();
  ChildState t2 = t1;  // T2 pulled the registration
  json p = Edit(t2, {{"residence_area", "440306"}}, Stamp{200, "T2", 1});
  EXPECT_EQ(p["base"]["residence_area"], json::array({json::array({100, "T1", 1})}));
  Deliver(t1, p, Stamp{200, "T2", 1});
  EXPECT_EQ(t1.Record()["residence_area"], "440306");
  EXPECT_TRUE(t1.Conflicts().empty());
  EXPECT_FALSE(t1.HasConflicts());
  EXPECT_EQ(t1.ToJson(), t2.ToJson());
}

TEST(ChildMerge, ConcurrentEditsOfDifferentFieldsAreBothKept) {
  ChildState t1 = Registered(), t2 = Registered();
  json a = Edit(t1, {{"name", "王晓明"}}, Stamp{200, "T1", 2});
  json b = Edit(t2, {{"category", "migrant"}}, Stamp{150, "T2", 1});
  Deliver(t1, b, Stamp{150, "T2", 1});
  Deliver(t2, a, Stamp{200, "T1", 2});
  EXPECT_EQ(t1.ToJson(), t2.ToJson());
  EXPECT_EQ(t1.Record()["name"], "王晓明");
  EXPECT_EQ(t1.Record()["category"], "migrant");
  EXPECT_TRUE(t1.Conflicts().empty());
}

TEST(ChildMerge, LateOfflineEditWithOlderStampIsAConflictNotLost) {
  ChildState server = Registered(), online = Registered(), offline = Registered();
  // The offline terminal edits first by its clock, but its event reaches the server last.
  json late = Edit(offline, {{"residence_area", "110105"}}, Stamp{150, "T3", 1});
  json early = Edit(online, {{"residence_area", "440306"}}, Stamp{300, "T2", 1});
  Deliver(server, early, Stamp{300, "T2", 1});
  EXPECT_TRUE(Deliver(server, late, Stamp{150, "T3", 1}));
  EXPECT_EQ(server.Record()["residence_area"], "440306");  // greatest stamp wins
  std::vector<FieldConflict> c = server.Conflicts();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].field, "residence_area");
  ASSERT_EQ(c[0].values.size(), 2u);
  EXPECT_EQ(c[0].values[0].value, "440306");
  EXPECT_EQ(c[0].values[0].stamp.terminal_id, "T2");
  EXPECT_EQ(c[0].values[1].value, "110105");
  EXPECT_EQ(c[0].values[1].stamp.terminal_id, "T3");
  json cj = c[0].ToJson();
  EXPECT_EQ(cj["winner"]["terminal_id"], "T2");
  EXPECT_EQ(cj["others"][0]["value"], "110105");

  // The other order gives the same state, conflict included.
  ChildState other = Registered();
  Deliver(other, late, Stamp{150, "T3", 1});
  Deliver(other, early, Stamp{300, "T2", 1});
  EXPECT_EQ(other.ToJson(), server.ToJson());

  // An edit that has seen both values resolves it, everywhere.
  ChildState supervisor = server;
  json fix = Edit(supervisor, {{"residence_area", "110105"}}, Stamp{400, "T1", 2});
  EXPECT_EQ(fix["base"]["residence_area"].size(), 2u);
  Deliver(server, fix, Stamp{400, "T1", 2});
  EXPECT_TRUE(server.Conflicts().empty());
  EXPECT_EQ(server.Record()["residence_area"], "110105");
  // A replica that gets the resolution before the late edit ends the same.
  ChildState third = Registered();
  Deliver(third, fix, Stamp{400, "T1", 2});
  Deliver(third, early, Stamp{300, "T2", 1});
  Deliver(third, late, Stamp{150, "T3", 1});
  EXPECT_EQ(third.ToJson(), server.ToJson());
}

TEST(ChildMerge, AnEditThatSawOnlyOneValueLeavesTheConflictOpen) {
  ChildState server = Registered(), a = Registered(), b = Registered();
  json pa = Edit(a, {{"name", "王晓明"}}, Stamp{200, "T2", 1});
  json pb = Edit(b, {{"name", "王小名"}}, Stamp{210, "T3", 1});
  json pa2 = Edit(a, {{"name", "王晓鸣"}}, Stamp{220, "T2", 2});  // a has not seen b's value
  for (auto& [p, s] : std::vector<std::pair<json, Stamp>>{
           {pb, {210, "T3", 1}}, {pa2, {220, "T2", 2}}, {pa, {200, "T2", 1}}}) {
    Deliver(server, p, s);
  }
  ASSERT_EQ(server.Conflicts().size(), 1u);
  EXPECT_EQ(server.Conflicts()[0].values[0].value, "王晓鸣");
  EXPECT_EQ(server.Conflicts()[0].values[1].value, "王小名");
  EXPECT_EQ(server.Conflicts()[0].values.size(),
            2u);  // 王晓明 was superseded by a's own second edit
}

TEST(ChildMerge, ConcurrentEqualValuesAreNoConflict) {
  ChildState a = Registered(), b = Registered();
  json pa = Edit(a, {{"category", "migrant"}}, Stamp{200, "T2", 1});
  Edit(b, {{"category", "migrant"}}, Stamp{210, "T3", 1});
  Deliver(b, pa, Stamp{200, "T2", 1});
  EXPECT_FALSE(b.HasConflicts());
  EXPECT_EQ(b.fields().at("category").live.size(), 2u);
}

json Dose(const char* vaccine, int dose, const char* date) {
  return {{"vaccine", vaccine}, {"dose", dose}, {"date", date}};
}

// The fields of an edit that leaves the record with this one dose.
json OnlyDose(const char* vaccine, int dose, const char* date) {
  return {{"immunizations", json::array({Dose(vaccine, dose, date)})}};
}

TEST(ChildMerge, DoseAdditionsAtTwoOfflineSitesBothSurvive) {
  ChildState a = Registered(), b = Registered();
  json pa = Edit(a, OnlyDose("BCG", 1, "2020-01-02"), Stamp{200, "T2", 1});
  json pb = Edit(b, OnlyDose("HepB", 1, "2020-01-01"), Stamp{210, "T3", 1});
  EXPECT_FALSE(pa.contains("base"));
  EXPECT_EQ(pa["doses"]["add"].size(), 1u);
  Deliver(a, pb, Stamp{210, "T3", 1});
  Deliver(b, pa, Stamp{200, "T2", 1});
  EXPECT_EQ(a.ToJson(), b.ToJson());
  EXPECT_EQ(a.Record()["immunizations"],
            json::array({Dose("HepB", 1, "2020-01-01"), Dose("BCG", 1, "2020-01-02")}));
}

TEST(ChildMerge, DoseRemovalRemovesOnlyWhatItSaw) {
  ChildState a = Registered();
  Edit(a, OnlyDose("BCG", 1, "2020-01-02"), Stamp{200, "T1", 2});
  ChildState b = a;  // b saw the first BCG
  // a adds the same dose again with another date (a correction) while b removes BCG.
  json pa = Edit(a, OnlyDose("BCG", 1, "2020-01-03"), Stamp{300, "T1", 3});
  json pb = Edit(b, {{"immunizations", json::array()}}, Stamp{310, "T2", 1});
  EXPECT_EQ(pb["doses"]["remove"].size(), 1u);
  Deliver(a, pb, Stamp{310, "T2", 1});
  Deliver(b, pa, Stamp{300, "T1", 3});
  EXPECT_EQ(a.ToJson(), b.ToJson());
  // a's correction was not seen by b's removal: it survives.
  EXPECT_EQ(a.Record()["immunizations"], json::array({Dose("BCG", 1, "2020-01-03")}));
}

TEST(ChildMerge, ConcurrentDatesOfOneDoseAreAConflictResolvedByAnEdit) {
  ChildState a = Registered(), b = Registered();
  json pa = Edit(a, OnlyDose("MMR", 1, "2021-03-01"), Stamp{200, "T2", 1});
  json pb = Edit(b, OnlyDose("MMR", 1, "2021-03-08"), Stamp{210, "T3", 1});
  Deliver(a, pb, Stamp{210, "T3", 1});
  ASSERT_EQ(a.Conflicts().size(), 1u);
  EXPECT_EQ(a.Conflicts()[0].field, "immunizations[MMR#1]");
  EXPECT_EQ(a.Record()["immunizations"].size(), 1u);
  Edit(a, OnlyDose("MMR", 1, "2021-03-01"), Stamp{300, "T2", 2});
  EXPECT_TRUE(a.Conflicts().empty());
  EXPECT_EQ(a.Record()["immunizations"], json::array({Dose("MMR", 1, "2021-03-01")}));
}

TEST(ChildMerge, MalformedOrImpossiblePayloadsChangeNothing) {
  ChildState s = Registered();
  json before = s.ToJson();
  const Stamp at{200, "T2", 1};
  std::vector<json> bad = {
      {{"fields", 1}},
      {{"fields", {{"name", "x"}}}, {"base", {{"name", "not a list"}}}},
      {{"fields", {{"name", "x"}}}, {"base", {{"name", {{1, "T", 1, 4}}}}}},
      {{"fields", {{"name", "x"}}},
       {"base", {{"category", {{1, "T", 1}}}}}},  // base of a field not changed
      {{"fields", {{"name", "x"}}}, {"base", {{"name", {{200, "T2", 1}}}}}},  // saw itself
      {{"fields", {{"name", "x"}}}, {"base", {{"name", {{900, "T1", 1}}}}}},  // saw the future
      {{"fields", json::object()}, {"doses", {{"add", {1}}}}},
      {{"fields", json::object()},
       {"doses", {{"remove", {{{"k", "BCG#1"}, {"s", {900, "T", 1}}}}}}}},
      {{"fields", {{"immunizations", "BCG"}}}},
  };
  for (json p : bad) {
    std::string text = p.dump();
    EXPECT_FALSE(s.ApplyPayload(p, at).ok()) << text;
    EXPECT_EQ(s.ToJson(), before) << text;
  }
}

TEST(ChildMerge, StatesFromBeforeMergeReadUnchangedAndRoundTrip) {
  json old = {{"child_id", "c"},
              {"fields",
               {{"name", {{"v", "李·阿依"}, {"s", {7, "T", 3}}}},
                {"immunizations",
                 {{"v", json::array({Dose("BCG", 1, "2020-01-02")})}, {"s", {7, "T", 3}}}}}}};
  Result<ChildState> s = ChildState::FromJson(old);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->Record()["name"], "李·阿依");
  EXPECT_EQ(s->Record()["immunizations"], json::array({Dose("BCG", 1, "2020-01-02")}));
  // A legacy event (no base, a whole immunizations list) still applies.
  json legacy = {{"child_id", "c"},
                 {"fields", {{"immunizations", json::array({Dose("HepB", 1, "2020-01-01")})}}}};
  ASSERT_TRUE(s->ApplyPayload(legacy, Stamp{9, "T", 4}).ok());
  EXPECT_EQ(s->Record()["immunizations"].size(), 2u);
  // A state with conflicts, tombstones and doses survives its storage form.
  ChildState t = Registered();
  Edit(t, {{"name", "王晓明"}, {"immunizations", json::array({Dose("BCG", 1, "2020-01-02")})}},
       Stamp{200, "T1", 2});
  t.Apply({{"name", "王小名"}}, Stamp{150, "T3", 1});
  Edit(t, {{"immunizations", json::array()}}, Stamp{300, "T1", 3});
  Result<ChildState> back = ChildState::FromJson(t.ToJson());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->ToJson(), t.ToJson());
  EXPECT_TRUE(back->HasConflicts());
  EXPECT_FALSE(
      ChildState::FromJson(
          json{{"child_id", "c"}, {"fields", {{"name", {{"v", 1}, {"s", {1, "T", 1}}, {"c", 3}}}}}})
          .ok());
  EXPECT_FALSE(ChildState::FromJson(
                   json{{"child_id", "c"}, {"fields", json::object()}, {"doses", {{"live", 1}}}})
                   .ok());
}

}  // namespace
}  // namespace onecard
