// Flows between areas over a real store (flows.h, docs/flows.md): moves recorded at ingest from
// known changes of residence, counted by area, level and month, exactly and as published.
#include <gtest/gtest.h>

#include "cell_key.h"
#include "moves.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/server/report_store.h"
#include "record_key.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

// Unix ms of a UTC time in 2026.
uint64_t At2026(int month, int day, int hour) {
  return static_cast<uint64_t>(CivilDate{2026, month, day}.ToDays() * 86'400'000 +
                               int64_t{hour} * 3'600'000);
}

nlohmann::json MovedTo(const std::string& residence) {
  return {{"residence_area", residence}, {"category", residence == "321324" ? "other" : "migrant"}};
}

// Known moves between Sihong (321324, terminal T1) and Bao'an (440306, terminal T2), by date in
// China (UTC+8):
//   T1-1 321324 -> 440306  2026-02-10
//   T1-2 321324 -> 440306  2026-03-01 (2026-02-28 20:00 UTC)
//   T2-1 440306 -> 321324  2026-03-15
//   T1-3 321324 -> 440306  2026-01-31, then 440306 -> 321324  2026-03-31
class FlowsTest : public ServerStoreFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CreateTwoSiteStore());
    const uint64_t registered = At2026(1, 5, 2);
    Register("T1", "T1-1", NewChild("张伟", "321324", "2015-01-11"), registered);
    Register("T1", "T1-2", NewChild("李强", "321324", "2014-02-12"), registered);
    Register("T2", "T2-1", NewChild("王磊", "440306", "2013-03-13"), registered);
    Register("T1", "T1-3", NewChild("刘洋", "321324", "2012-04-14"), registered);
    Move("T1", "T1-1", "440306", At2026(2, 10, 3));
    Move("T1", "T1-2", "440306", At2026(2, 28, 20));
    Move("T2", "T2-1", "321324", At2026(3, 15, 4));
    Move("T1", "T1-3", "440306", At2026(1, 31, 5));
    Move("T1", "T1-3", "321324", At2026(3, 31, 6));
  }

  void Register(const std::string& terminal, const std::string& child, const nlohmann::json& f,
                uint64_t ms) {
    Put(terminal, ++seq_[terminal], ms, child, f);
  }
  // Moves `child` to `residence` at `ms`, remembering the move's event.
  void Move(const std::string& terminal, const std::string& child, const std::string& residence,
            uint64_t ms) {
    Put(terminal, ++seq_[terminal], ms, child, MovedTo(residence));
    move_seq_[child].push_back({terminal, seq_[terminal]});
  }

  static FlowsQuery Query(const std::string& area, const std::string& from, const std::string& to,
                          size_t digits = 6, size_t hukou_digits = 0) {
    FlowsQuery q;
    q.area_prefix = area;
    q.from = from;
    q.to = to;
    q.from_digits = q.to_digits = digits;
    q.hukou_digits = hukou_digits;
    q.exact = true;
    q.requested_by = "zhou";
    return q;
  }
  FlowsReport Flows(const FlowsQuery& q) {
    auto r = static_cast<ReportStore&>(*store_).Flows(q);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : FlowsReport{};
  }
  // "from to month count" of each group; "from to hukou month count" when grouped by hukou.
  static std::vector<std::string> Groups(const FlowsReport& r) {
    std::vector<std::string> out;
    for (const FlowsCell& c : r.groups) {
      EXPECT_EQ(c.hukou.empty(), r.hukou_digits == 0) << c.from << " " << c.to << " " << c.hukou;
      out.push_back(c.from + " " + c.to + " " + (c.hukou.empty() ? "" : c.hukou + " ") + c.month +
                    " " + (c.count ? std::to_string(*c.count) : "<5"));
    }
    return out;
  }

  std::map<std::string, uint64_t> seq_;
  std::map<std::string, std::vector<std::pair<std::string, uint64_t>>> move_seq_;
};

TEST_F(FlowsTest, ExactFlowsCountTheKnownMovesByAreaAndMonth) {
  FlowsReport r = Flows(Query("4403", "2026-02-01", "2026-03-31"));
  EXPECT_EQ(Groups(r),
            (std::vector<std::string>{"321324 440306 2026-02 1", "321324 440306 2026-03 1",
                                      "440306 321324 2026-03 2"}));
  EXPECT_EQ(r.total, 4);
  EXPECT_EQ(r.moved_in, 2);
  EXPECT_EQ(r.moved_out, 2);
  EXPECT_EQ(r.as_of, "2026-03-31T06:00:00Z");  // the newest move counted
  EXPECT_EQ(r.from_digits, 6u);

  // At prefecture level, and with the January move in the period.
  r = Flows(Query("4403", "2026-01-01", "2026-03-31", 4));
  EXPECT_EQ(Groups(r), (std::vector<std::string>{"3213 4403 2026-01 1", "3213 4403 2026-02 1",
                                                 "3213 4403 2026-03 1", "4403 3213 2026-03 2"}));
  // T1-3 moved in and out: one person, counted once in the total and once each way.
  EXPECT_EQ(r.total, 4);
  EXPECT_EQ(r.moved_in, 3);
  EXPECT_EQ(r.moved_out, 2);
}

TEST_F(FlowsTest, PeriodBoundsAreIncludedDatesInChina) {
  FlowsReport day = Flows(Query("44", "2026-02-10", "2026-02-10"));
  EXPECT_EQ(Groups(day), (std::vector<std::string>{"321324 440306 2026-02 1"}));
  // 2026-02-28 20:00 UTC is 1 March in China.
  EXPECT_EQ(Groups(Flows(Query("44", "2026-03-01", "2026-03-01"))),
            (std::vector<std::string>{"321324 440306 2026-03 1"}));
  FlowsReport none = Flows(Query("44", "2026-02-28", "2026-02-28"));
  EXPECT_TRUE(none.groups.empty());
  EXPECT_EQ(none.total, 0);
  EXPECT_EQ(none.as_of.size(), 20u) << "the time of the answer: " << none.as_of;
}

TEST_F(FlowsTest, TheAreaSelectsMovesOutOfOrIntoIt) {
  // Sihong's official sees the same moves from the other end.
  EXPECT_EQ(Groups(Flows(Query("3213", "2026-02-01", "2026-03-31"))),
            Groups(Flows(Query("4403", "2026-02-01", "2026-03-31"))));
  FlowsReport sihong = Flows(Query("321324", "2026-02-01", "2026-03-31"));
  EXPECT_EQ(sihong.moved_out, 2);
  EXPECT_EQ(sihong.moved_in, 2);
  // Guangzhou (4401) saw none of them.
  FlowsReport guangzhou = Flows(Query("4401", "2026-01-01", "2026-12-31"));
  EXPECT_TRUE(guangzhou.groups.empty());
  EXPECT_EQ(guangzhou.total, 0);
  // A move between two districts of the area is neither out of it nor into it.
  Register("T2", "T2-3", NewChild("赵勇", "440306", "2016-06-16"), At2026(1, 5, 2));
  Move("T2", "T2-3", "440305", At2026(2, 20, 9));
  FlowsReport shenzhen = Flows(Query("4403", "2026-02-01", "2026-03-31"));
  EXPECT_EQ(shenzhen.total, 5);
  EXPECT_EQ(shenzhen.moved_in, 2);
  EXPECT_EQ(shenzhen.moved_out, 2);
  EXPECT_EQ(Groups(Flows(Query("440305", "2026-02-01", "2026-03-31"))),
            (std::vector<std::string>{"440306 440305 2026-02 1"}));
}

// Three more movers whose hukou is elsewhere than the others' (all of Sihong, 321324):
//   T2-4 hukou 411422 (睢县)   440306 -> 440305  2026-02-20
//   T2-5 hukou 321302 (宿城区) 440306 -> 321324  2026-03-20
//   T2-6 hukou "999999" (no known code, as stored before validation)  440306 -> 440305  2026-02-22
TEST_F(FlowsTest, ByHukouAreaEachFlowIsSplitByTheMoversHukou) {
  const auto registered = At2026(1, 5, 2);
  nlohmann::json suixian = NewChild("孙丽", "440306"), sucheng = NewChild("周敏", "440306");
  suixian["hukou_area"] = "411422";
  sucheng["hukou_area"] = "321302";
  Register("T2", "T2-4", suixian, registered);
  Register("T2", "T2-5", sucheng, registered);
  Register("T2", "T2-6", NewChild("吴静", "440306"), registered);
  Move("T2", "T2-4", "440305", At2026(2, 20, 9));
  Move("T2", "T2-5", "321324", At2026(3, 20, 9));
  Move("T2", "T2-6", "440305", At2026(2, 22, 9));
  // Planted after the moves (ingest would find the row disagreeing with the statistics).
  ASSERT_TRUE(ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
                return db.Exec("UPDATE children SET hukou_area = '999999' WHERE child_id = 'T2-6'");
              }).ok());

  FlowsReport county = Flows(Query("4403", "2026-02-01", "2026-03-31", 6, 6));
  EXPECT_EQ(county.hukou_digits, 6u);
  EXPECT_EQ(Groups(county),
            (std::vector<std::string>{
                "321324 440306 321324 2026-02 1", "321324 440306 321324 2026-03 1",
                "440306 321324 321302 2026-03 1", "440306 321324 321324 2026-03 2",
                "440306 440305 411422 2026-02 1", "440306 440305 unknown 2026-02 1"}));
  EXPECT_EQ(
      Groups(Flows(Query("4403", "2026-02-01", "2026-03-31", 6, 4))),
      (std::vector<std::string>{"321324 440306 3213 2026-02 1", "321324 440306 3213 2026-03 1",
                                "440306 321324 3213 2026-03 3", "440306 440305 4114 2026-02 1",
                                "440306 440305 unknown 2026-02 1"}));
  EXPECT_EQ(Groups(Flows(Query("4403", "2026-02-01", "2026-03-31", 4, 2))),
            (std::vector<std::string>{"3213 4403 32 2026-02 1", "3213 4403 32 2026-03 1",
                                      "4403 3213 32 2026-03 3", "4403 4403 41 2026-02 1",
                                      "4403 4403 unknown 2026-02 1"}));

  // The hukou groups the same moves: the figures are those without it, and each flow's cells
  // sum, over the hukou areas, to its cell without them (no person here has two hukou areas).
  FlowsReport plain = Flows(Query("4403", "2026-02-01", "2026-03-31", 6));
  EXPECT_EQ(plain.hukou_digits, 0u);
  EXPECT_EQ(county.total, plain.total);
  EXPECT_EQ(county.moved_out, plain.moved_out);
  EXPECT_EQ(county.moved_in, plain.moved_in);
  std::map<std::string, int64_t> summed;
  for (const FlowsCell& c : county.groups) summed[c.from + " " + c.to + " " + c.month] += *c.count;
  std::vector<std::string> sums;
  for (const auto& [flow, n] : summed) sums.push_back(flow + " " + std::to_string(n));
  EXPECT_EQ(sums, Groups(plain));
}

TEST_F(FlowsTest, APersonOfTwoRecordsIsCountedOnce) {
  Register("T1", "T1-4", NewChild("陈杰", "321324", "2011-05-15"), At2026(1, 5, 2));
  Register("T1", "T1-5", NewChild("黄明", "321324", "2010-08-20"), At2026(1, 6, 2));
  Move("T1", "T1-4", "440306", At2026(2, 12, 7));
  Move("T1", "T1-5", "440306", At2026(2, 13, 8));
  const auto feb = [&] { return Groups(Flows(Query("4403", "2026-02-01", "2026-02-28"))); };
  // Two persons, until a supervisor says the two records are one child.
  EXPECT_EQ(feb(), (std::vector<std::string>{"321324 440306 2026-02 3"}));
  Status merged = store_->DecideIdentity(IdentityCommand::kMerge, "T1-4", "T1-5", "zhou");
  ASSERT_TRUE(merged.ok()) << merged.message();
  EXPECT_EQ(feb(), (std::vector<std::string>{"321324 440306 2026-02 2"}));
}

TEST_F(FlowsTest, ChangesThatMoveNobodyRecordNoMove) {
  EXPECT_EQ(CountRows("moves"), 5);
  // A registration is no move; a change of another field neither; a replay stores nothing.
  Register("T2", "T2-2", NewChild("杨帆", "440306"), At2026(4, 1, 1));
  Put("T2", ++seq_["T2"], At2026(4, 2, 1), "T2-2", {{"name", "杨帆帆"}});
  Put("T2", ++seq_["T2"], At2026(4, 3, 1), "T2-2", {{"residence_area", "440306"}});
  EXPECT_EQ(CountRows("moves"), 5);
  const auto& [terminal, seq] = move_seq_.at("T1-1").at(0);
  auto replay = store_->Ingest(
      terminal, {MakeUpsert(terminal, seq, At2026(2, 10, 3) << 16, "T1-1", MovedTo("440306"))});
  ASSERT_TRUE(replay.ok()) << replay.status().message();
  EXPECT_EQ(CountRows("moves"), 5);
}

TEST_F(FlowsTest, PublishedFlowsArePerturbedByTheKeysOfTheMoves) {
  auto secret = store_->GetSecret(kCellKeySecretName);
  ASSERT_TRUE(secret.ok());
  const auto key = [&](const std::string& child, size_t i) {
    const auto& [terminal, seq] = move_seq_.at(child).at(i);
    return MoveKey(RecordKeyer(*secret), terminal, seq);
  };
  FlowsQuery q = Query("4403", "2026-02-01", "2026-03-31");
  q.exact = false;
  FlowsReport r = Flows(q);
  // Each person brings the key of its (first) move counted; T1-3's second move is in the period.
  const uint32_t total_key = key("T1-1", 0) + key("T1-2", 0) + key("T2-1", 0) + key("T1-3", 1);
  EXPECT_EQ(r.total, PublishCount({4, total_key}));
  EXPECT_EQ(r.moved_in, PublishCount({2, key("T1-1", 0) + key("T1-2", 0)}));
  ASSERT_EQ(r.groups.size(), 3u);
  EXPECT_EQ(r.groups[0].count, PublishCount({1, key("T1-1", 0)}));
  EXPECT_EQ(r.groups[2].count, PublishCount({2, key("T2-1", 0) + key("T1-3", 1)}));
  for (const FlowsCell& c : r.groups) EXPECT_TRUE(!c.count || *c.count >= kSmallCell);
  // The same question, the same answer.
  EXPECT_EQ(Groups(Flows(q)), Groups(r));
}

TEST_F(FlowsTest, MovesWithoutAKeyAreKeyedBeforeTheyAreCounted) {
  ASSERT_TRUE(ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
                return db.Exec("UPDATE moves SET move_key = NULL");
              }).ok());
  FlowsQuery q = Query("4403", "2026-02-10", "2026-02-10");
  q.exact = false;
  FlowsReport r = Flows(q);
  auto secret = store_->GetSecret(kCellKeySecretName);
  ASSERT_TRUE(secret.ok());
  const auto& [terminal, seq] = move_seq_.at("T1-1").at(0);
  EXPECT_EQ(r.total, PublishCount({1, MoveKey(RecordKeyer(*secret), terminal, seq)}));
  EXPECT_EQ(CountRows("moves WHERE move_key IS NULL"), 0);
}

TEST_F(FlowsTest, BadQueriesAreRefusedNamingTheFlag) {
  const auto refusal = [&](const FlowsQuery& q) {
    auto r = static_cast<ReportStore&>(*store_).Flows(q);
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    return r.status().message();
  };
  EXPECT_NE(refusal(Query("4403", "2026-02-30", "2026-03-31")).find("--from"), std::string::npos);
  EXPECT_NE(refusal(Query("4403", "2026-02-01", "March")).find("--to"), std::string::npos);
  EXPECT_NE(refusal(Query("4403", "", "2026-03-31")).find("--from"), std::string::npos);
  EXPECT_NE(refusal(Query("4403", "2026-03-31", "2026-03-30")).find("--to"), std::string::npos);
  EXPECT_NE(refusal(Query("44a", "2026-02-01", "2026-03-31")).find("--area"), std::string::npos);
  refusal(Query("4403", "2026-02-01", "2026-03-31", 3));
  FlowsQuery anonymous = Query("4403", "2026-02-01", "2026-03-31");
  anonymous.requested_by.clear();  // an exact query names who asks
  refusal(anonymous);

  FlowsQuery levels;
  EXPECT_TRUE(ParseFlowLevels("from_area:2,to_area:6", levels).ok());
  EXPECT_EQ(levels.from_digits, 2u);
  EXPECT_EQ(levels.to_digits, 6u);
  EXPECT_TRUE(ParseFlowLevels("residence_area:4", levels).ok());
  EXPECT_EQ(levels.from_digits, 4u);
  EXPECT_EQ(levels.to_digits, 4u);
  EXPECT_EQ(levels.hukou_digits, 0u) << "not grouped by hukou unless asked";
  FlowsQuery by_hukou;
  EXPECT_TRUE(ParseFlowLevels("hukou_area:4,residence_area:6", by_hukou).ok());
  EXPECT_EQ(by_hukou.hukou_digits, 4u);
  EXPECT_EQ(by_hukou.from_digits, 6u);
  EXPECT_EQ(by_hukou.to_digits, 6u);
  EXPECT_FALSE(ParseFlowLevels(",", levels).ok());
  for (const char* bad : {"hukou_area:3", "hukou", "hukou_area", "from_area", "to_area:5", "sex"}) {
    Status refused = ParseFlowLevels(bad, levels);
    EXPECT_EQ(refused.code(), ErrorCode::kInvalidArgument) << bad;
    EXPECT_NE(refused.message().find(bad), std::string::npos) << refused.message();
    EXPECT_NE(refused.message().find("hukou_area:N"), std::string::npos) << refused.message();
  }
  refusal(Query("4403", "2026-02-01", "2026-03-31", 6, 5));
}

TEST_F(FlowsTest, ExactFlowsAreAudited) {
  ASSERT_TRUE(
      static_cast<ReportStore&>(*store_).Flows(Query("4403", "2026-02-01", "2026-03-31")).ok());
  FlowsQuery published = Query("4403", "2026-02-01", "2026-03-31");
  published.exact = false;
  ASSERT_TRUE(static_cast<ReportStore&>(*store_).Flows(published).ok());
  ASSERT_TRUE(
      static_cast<ReportStore&>(*store_).Flows(Query("44", "2026-02-01", "2026-02-28", 4, 2)).ok());
  const auto audit = ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
    auto st = db.Prepare("SELECT requested_by || ': ' || query FROM exact_query_audit");
    EXPECT_TRUE(st.ok());
    return *st->FirstColumnTexts();
  });
  EXPECT_EQ(audit, (std::vector<std::string>{
                       "zhou: counts --flows --area 4403 --from 2026-02-01 --to 2026-03-31 --by "
                       "from_area:6,to_area:6 --exact",
                       "zhou: counts --flows --area 44 --from 2026-02-01 --to 2026-02-28 --by "
                       "from_area:4,to_area:4,hukou_area:2 --exact"}));
}

}  // namespace
}  // namespace onecard::server
