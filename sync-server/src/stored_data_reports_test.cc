// "No report ever throws on stored data": every report and CLI read of the server runs over a
// store that holds, beside good children, rows no validation would let in today (written straight
// into the tables, as data stored before validation existed). Each report succeeds, shows the bad
// values as unknown or leaves them out, and counts the good children exactly.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conflicts.h"
#include "counts.h"
#include "identity_store.h"
#include "onecard/platform/clock.h"
#include "onecard/platform/test_clock.h"
#include "onecard/server/cli.h"
#include "referral_stats.h"
#include "residence_history.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

using nlohmann::json;

constexpr int kGoodInBaoan = 6;  // good children living in 440306 (all migrant boys, aged 6-11)

class StoredDataReportsTest : public ServerStoreFixture {
 protected:
  // 2026-10-01T00:00:00Z: after the events' stamps (2026-09-21).
  platform::TestClock clock_{1'790'812'800'000};

  void SetUp() override {
    CreateTwoSiteStore(clock_);
    // Distinct people (the identity resolver must not group them), all aged 6 to 11 on the store's
    // day, 2026-10-01.
    const char* names[kGoodInBaoan] = {"李娜", "赵磊", "孙丽", "周杰", "吴芳", "郑强"};
    const char* births[kGoodInBaoan] = {"2015-01-01", "2016-02-03", "2017-03-05",
                                        "2018-04-07", "2015-07-01", "2019-05-09"};
    std::vector<wire::Event> events;
    for (int i = 1; i <= kGoodInBaoan; ++i) {
      json child = Child(names[i - 1], "440306");
      child["birth_date"] = births[i - 1];
      events.push_back(MakeUpsert("T2", i, 100 + i, "T2-" + std::to_string(i), child));
    }
    ASSERT_TRUE(store_->Ingest("T2", events).ok());
    // A good child in Sihong, and below a hostile near-twin of it: the pair goes to review.
    ASSERT_TRUE(
        store_->Ingest("T1", {MakeUpsert("T1", 1, 200, "T1-1", Child("陈思雨", "321324"))}).ok());
    WriteHostileRows();
  }

  static json Child(const std::string& name, const std::string& residence) {
    return NewChild(name, residence, "2015-01-01");
  }

  // Rows copied from good ones and spoiled in SQL, bypassing ingest.
  void WriteHostileRows() {
    Status s = ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
      return db.Exec(
          // A name that is a number, a birth date that is not one, an unknown category, no sex.
          "INSERT INTO children(child_id, state, residence_area, hukou_area, category, sex, "
          "birth_date, "
          "change_seq) SELECT 'X-1', json_set(state, '$.fields.name.v', 42, "
          "'$.fields.birth_date.v', "
          "'abcd-ef-gh'), '440306', '321324', 'alien', NULL, 'abcd-ef-gh', 1001 FROM children "
          "WHERE child_id = 'T2-1';"
          // A 30 February, an area that does not exist, a category that is a number.
          "INSERT INTO children(child_id, state, residence_area, hukou_area, category, sex, "
          "birth_date, "
          "change_seq) SELECT 'X-2', json_set(state, '$.fields.birth_date.v', '2019-02-30'), "
          "'440306', "
          "'999999', 123, 'X', '2019-02-30', 1002 "
          "FROM children WHERE child_id = 'T2-2';"
          // A state that is not JSON, in conflict, with dates of the right length but no digits.
          "INSERT INTO children(child_id, state, residence_area, hukou_area, category, sex, "
          "birth_date, "
          "change_seq, conflicted) VALUES ('X-3', 'not json {', '440306', '3213', 'migrant', 'M', "
          "'20-19-0101', 1003, 1);"
          // JSON of the wrong shape, in conflict, with numbers where texts belong.
          "INSERT INTO children(child_id, state, residence_area, hukou_area, category, sex, "
          "birth_date, "
          "change_seq, conflicted) VALUES ('X-4', '{\"fields\": 7}', 440306, 321324, 7, 1, "
          "20190101, "
          "1004, 1);"
          // An empty row: NULL everywhere it may be.
          "INSERT INTO children(child_id, state, change_seq) VALUES ('X-5', '', 1005);"
          // The near-twin of T1-1 with an id number and a residence that are numbers: readable
          // enough to be compared, so the review queue shows it.
          "INSERT INTO children(child_id, state, residence_area, hukou_area, category, sex, "
          "birth_date, "
          "change_seq) SELECT 'X-6', json_set(state, '$.child_id', 'X-6', '$.fields.name.v', "
          "'陈思琪', "
          "'$.fields.id_number', json_object('v', 12345, 's', json_extract(state, "
          "'$.fields.name.s')), "
          "'$.fields.residence_area.v', 321324), '321324', '321324', 'other', 'M', '2015-01-01', "
          "1006 "
          "FROM children WHERE child_id = 'T1-1';"
          // A good child in conflict (its state shows none, which is what the report must show).
          "UPDATE children SET conflicted = 1 WHERE child_id = 'T2-3';"
          // A decision with a score that is not a number.
          "INSERT INTO identity_decisions(kind, a, b, score, reasons, decided_by, decided_at) "
          "VALUES ('auto_link', 'Q-1', 'Q-2', 'abc', 0, 'resolver', 'yesterday');"
          // A referral from a site whose area is not a code, with a service that is a number.
          "INSERT INTO sites(site_id, name, area, role, created_at) VALUES ('ZZ', 7, '440306x', "
          "'receiving', 0);"
          // Five referrals from Bao'an (two completed, one declined) and one from the bad site.
          "INSERT INTO referrals(referral_id, child_id, service, from_site, to_site, reason, "
          "created_hlc, "
          "status, status_hlc, status_terminal, status_seq, change_seq) VALUES "
          "('R1', 'T2-1', 'education', 'GD', 'JS', '', 1, 'completed', 1, 'T2', 1, 2001),"
          "('R2', 'T2-2', 'education', 'GD', 'JS', '', 1, 'completed', 1, 'T2', 2, 2002),"
          "('R3', 'T2-3', 'education', 'GD', 'JS', '', 1, 'declined', 1, 'T2', 3, 2003),"
          "('R4', 'T2-4', 'education', 'GD', 'JS', '', 1, 'open', 1, 'T2', 4, 2004),"
          "('R5', 'X-5', 'education', 'GD', 'JS', '', 1, 'open', 1, 'T2', 5, 2005),"
          "('R6', 'X-1', 'health', 'ZZ', 'JS', 7, 'x', 'open', 'y', 9, 'z', 2006);");
    });
    ASSERT_TRUE(s.ok()) << s.message();
  }

  Result<CountsReport> Counts(const std::vector<std::string>& by, bool moved_out = false,
                              const std::string& area = "4403") {
    CountsQuery q;
    q.area_prefix = area;
    q.by = by;
    q.moved_out = moved_out;
    q.exact = true;
    q.requested_by = "test";
    return static_cast<ReportStore&>(*store_).Counts(q);
  }

  // The value of dimension `dim` in `cell` of report `r` (empty when `r` has no such dimension).
  static std::string ValueOf(const CountsReport& r, const CountsCell& cell,
                             const std::string& dim) {
    for (size_t i = 0; i < r.dimensions.size(); ++i) {
      if (r.dimensions[i] == dim) return cell.values.at(i);
    }
    return "";
  }
  // The count of the group whose dimension `dim` is `value` (-1 when there is none).
  static int64_t GroupCount(const CountsReport& r, const std::string& dim,
                            const std::string& value) {
    for (const CountsCell& g : r.groups) {
      if (ValueOf(r, g, dim) == value) return g.count.value_or(-2);
    }
    return -1;
  }
};

TEST_F(StoredDataReportsTest, CountsByEveryDimensionCountTheGoodChildrenAndShowTheRestAsUnknown) {
  auto total = Counts({});
  ASSERT_TRUE(total.ok()) << total.status().message();
  // The six good children, X-1..X-4 (residence 440306 in their row): ten rows in the area.
  EXPECT_EQ(total->total, kGoodInBaoan + 4);

  auto age = Counts({"age_band"});
  ASSERT_TRUE(age.ok()) << age.status().message();
  EXPECT_EQ(GroupCount(*age, "age_band", "6-11"), kGoodInBaoan);
  EXPECT_EQ(GroupCount(*age, "age_band", "unknown"),
            4);  // abcd-ef-gh, 2019-02-30, 20-19-0101, a number

  auto category = Counts({"category"});
  ASSERT_TRUE(category.ok()) << category.status().message();
  EXPECT_EQ(GroupCount(*category, "category", "migrant"), kGoodInBaoan + 1);  // X-3 says migrant
  EXPECT_EQ(GroupCount(*category, "category", "alien"), -1);
  EXPECT_EQ(GroupCount(*category, "category", "unknown"), 3);

  auto sex = Counts({"sex"});
  ASSERT_TRUE(sex.ok()) << sex.status().message();
  EXPECT_EQ(GroupCount(*sex, "sex", "M"), kGoodInBaoan + 1);
  EXPECT_EQ(GroupCount(*sex, "sex", "unknown"), 3);  // NULL, X, 1

  auto school = Counts({"school_status"});
  ASSERT_TRUE(school.ok()) << school.status().message();
  EXPECT_EQ(GroupCount(*school, "school_status", "unknown"), kGoodInBaoan + 4);

  auto areas = Counts({"hukou_area:4", "residence_area:2", "hukou_area"});
  ASSERT_TRUE(areas.ok()) << areas.status().message();
  int64_t good = 0, unknown = 0;
  for (const CountsCell& g : areas->groups) {
    if (ValueOf(*areas, g, "hukou_area") == "321324" &&
        ValueOf(*areas, g, "hukou_area:4") == "3213" &&
        ValueOf(*areas, g, "residence_area:2") == "44") {
      good += g.count.value_or(0);
    }
    if (ValueOf(*areas, g, "hukou_area") == "unknown") unknown += g.count.value_or(0);
  }
  EXPECT_EQ(good, kGoodInBaoan + 2);  // name Sihong as their hukou
  EXPECT_EQ(unknown, 2);              // 999999 and 3213 are not area codes

  auto moved = Counts({"age_band", "category", "sex", "school_status"}, /*moved_out=*/true, "32");
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  // not X-3, whose hukou "3213" is no area code (the statistics count it in none).
  EXPECT_EQ(moved->total, kGoodInBaoan + 2);

  // Perturbed (as officials see it), every dimension, three at a time (the most they may combine).
  for (std::vector<std::string> by :
       {std::vector<std::string>{"category", "sex", "age_band"},
        std::vector<std::string>{"school_status", "hukou_area:2", "residence_area:6"}}) {
    CountsQuery q;
    q.area_prefix = "44";
    q.by = by;
    auto shown = static_cast<ReportStore&>(*store_).Counts(q);
    ASSERT_TRUE(shown.ok()) << shown.status().message();
    EXPECT_FALSE(shown->groups.empty());
  }
}

TEST_F(StoredDataReportsTest, ConflictsListUnreadableChildrenAsUnknownBesideTheGoodOne) {
  auto conflicts = ServerStoreInternals::WithDatabase(
      *store_, [](schema::Database& db) { return ListConflicts(db, "44"); });
  ASSERT_TRUE(conflicts.ok()) << conflicts.status().message();
  const std::vector<ConflictedChild>& children = conflicts->children;
  ASSERT_EQ(children.size(), 3u);
  EXPECT_EQ(children[0].child_id, "T2-3");
  EXPECT_EQ(children[0].name, RecordValue("孙丽"));
  EXPECT_FALSE(children[0].unreadable);
  EXPECT_EQ(children[1].child_id, "X-3");
  EXPECT_TRUE(children[1].unreadable);
  EXPECT_FALSE(children[1].name.has_value());
  EXPECT_EQ(children[2].child_id, "X-4");
  EXPECT_TRUE(children[2].unreadable);
}

TEST_F(StoredDataReportsTest, IdentityReviewHistoryAndLogReadHostileRows) {
  auto refreshed = store_->RefreshIdentities(true);
  ASSERT_TRUE(refreshed.ok()) << refreshed.status().message();
  EXPECT_EQ(refreshed->unreadable, 5u);  // X-1 (name), X-2 (birth date), X-3, X-4, X-5

  auto queue = ServerStoreInternals::WithDatabase(
      *store_, [](schema::Database& db) { return IdentityReviewQueue(db); });
  ASSERT_TRUE(queue.ok()) << queue.status().message();
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ((*queue)[0].a, "T1-1");
  EXPECT_EQ((*queue)[0].b, "X-6");
  EXPECT_EQ((*queue)[0].records[1].id_number, RecordValue(12345));  // as stored: a number

  auto log = ServerStoreInternals::WithDatabase(
      *store_, [](schema::Database& db) { return IdentityDecisionLog(db); });
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_FALSE(log->empty());
  EXPECT_FALSE((*log)[0].score.has_value());  // 'abc' is no score

  for (const char* child : {"X-1", "X-2", "X-3", "X-4", "X-5", "X-6", "T2-1"}) {
    auto history = ServerStoreInternals::WithDatabase(
        *store_, [&](schema::Database& db) { return ResidenceHistory(db, child); });
    ASSERT_TRUE(history.ok()) << child << ": " << history.status().message();
  }
  auto x4 = ServerStoreInternals::WithDatabase(
      *store_, [](schema::Database& db) { return ResidenceHistory(db, "X-4"); });
  ASSERT_TRUE(x4.ok());
  EXPECT_EQ(x4->residence_area, "440306");
  EXPECT_EQ(x4->hukou_area, "321324");
}

TEST_F(StoredDataReportsTest, ReferralStatsSurviveAHostileSite) {
  auto stats = ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
    return ComputeReferralStats(db, ReferralStatsQuery{"44", true, "test"}, RandomSecret(32));
  });
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_EQ(stats->total, 6);
  ASSERT_EQ(stats->groups.size(), 2u);
  EXPECT_EQ(stats->groups[0].values, (std::vector<std::string>{"440306", "education"}));
  EXPECT_EQ(stats->groups[0].count, 5);
  EXPECT_EQ(stats->groups[0].completed_share, 0.4);
  EXPECT_EQ(stats->groups[0].declined_share, 0.2);
  EXPECT_EQ(stats->groups[1].values, (std::vector<std::string>{"unknown", "health"}));
  EXPECT_EQ(stats->groups[1].count, 1);
  // By the children's sex and the month: a creation stamp that is text has a month all the same
  // (1970-01, its value 0), and nothing fails.
  auto by_child = ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
    return ComputeReferralStats(db, ReferralStatsQuery{"44", true, "test", {"sex", "period"}},
                                RandomSecret(32));
  });
  ASSERT_TRUE(by_child.ok()) << by_child.status().message();
  EXPECT_EQ(by_child->total, 6);
}

TEST_F(StoredDataReportsTest, EveryServerCliReportSucceeds) {
  for (const char* by :
       {"category", "sex", "age_band", "school_status", "hukou_area", "hukou_area:2",
        "hukou_area:4", "residence_area", "residence_area:2", "residence_area:4",
        "category,sex,age_band,school_status,hukou_area:4,residence_area:6"}) {
    for (bool json_output : {false, true}) {
      std::vector<std::string> args = {"counts", "--area", "4403", "--by", by, "--exact"};
      if (json_output) args.insert(args.begin(), "--json");
      auto [code, out] = Cli(args);
      EXPECT_EQ(code, 0) << by;
      EXPECT_NE(out.find(json_output ? "\"total\":10" : "10"), std::string::npos)
          << by << ": " << out;
    }
  }
  {
    auto [code, out] =
        Cli({"counts", "--area", "32", "--moved-out", "--by", "age_band,sex,category"});
    EXPECT_EQ(code, 0);
    EXPECT_NE(out.find("age_band=6-11 "), std::string::npos) << out;
  }
  {
    auto [code, out] = Cli({"conflicts", "--area", "44"});
    EXPECT_EQ(code, 0);
    EXPECT_NE(out.find("X-3"), std::string::npos) << out;
    EXPECT_NE(out.find("孙丽"), std::string::npos) << out;
  }
  {
    auto [code, out] = Cli({"review", "list"});
    EXPECT_EQ(code, 0);
    EXPECT_NE(out.find("X-6"), std::string::npos) << out;
    EXPECT_NE(out.find("12345"), std::string::npos)
        << out;  // the id number that is a number, as text
  }
  for (const char* args :
       {"review refresh", "review log", "referrals stats --area 44",
        "referrals stats --area 44 --by area,service,sex,period", "history --child X-1",
        "history --child X-4", "history --child X-5", "history --child T2-1"}) {
    for (bool json_output : {false, true}) {
      std::vector<std::string> argv;
      if (json_output) argv.push_back("--json");
      std::string word;
      for (const char* p = args;; ++p) {
        if (*p == ' ' || *p == '\0') {
          argv.push_back(word);
          word.clear();
          if (*p == '\0') break;
        } else {
          word.push_back(*p);
        }
      }
      auto [code, out] = Cli(argv);
      EXPECT_EQ(code, 0) << args;
      EXPECT_FALSE(out.empty()) << args;
    }
  }
}

}  // namespace
}  // namespace onecard::server
