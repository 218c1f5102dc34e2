// Ageing out at the server (server_ageing_out.cc, ageing_out.h): on the 18th birthday the record
// is counted no more; when the retention the administrator set has passed, serve's background
// refresh erases it with reason aged_out and terminals are told; nothing earlier.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "onecard/platform/i18n.h"
#include "onecard/platform/test_clock.h"
#include "onecard/protocol/ageing_out.h"
#include "onecard/protocol/civil_date.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

using nlohmann::json;

// Unix milliseconds of midnight in China (UTC+8) starting `day`.
int64_t ChinaMidnightMs(const char* day) {
  return CivilDate::Parse(day)->ToDays() * 86'400'000 - 8 * 3'600'000;
}

class ServerAgeingOutTest : public ServerStoreFixture {
 protected:
  void SetUp() override {
    saved_language_ = CurrentLanguage();
    SetLanguage(Language::kEn);
    clock_.SetWallMs(ChinaMidnightMs("2026-06-01"));
    CreateTwoSiteStore(clock_);
    Put("T1", 1, 1, "T1-1", NewChild("王小明", "321324", "2008-06-15"));  // 18 on 2026-06-15
    Put("T1", 2, 2, "T1-2", NewChild("李小红", "321324", "2016-03-15"));
  }
  void TearDown() override {
    SetLanguage(saved_language_);
    ServerStoreFixture::TearDown();
  }

  // The exact counts of Sihong: the total and the age bands present.
  std::pair<int64_t, std::vector<std::string>> Counted() {
    CountsQuery q;
    q.area_prefix = "321324";
    q.by = {"age_band"};
    q.exact = true;
    q.requested_by = "admin";
    auto r = store_->Counts(q);
    EXPECT_TRUE(r.ok()) << r.status().message();
    std::vector<std::string> bands;
    if (!r.ok()) return {-1, bands};
    for (const CountsCell& cell : r->groups) bands.push_back(cell.values.at(0));
    return {r->total.value_or(-1), bands};
  }

  // What serve does between other work: background steps until there is nothing more to do.
  void RunBackgroundRefresh() {
    for (int step = 0; step < 1000; ++step) {
      auto more = store_->RefreshInBackground();
      ASSERT_TRUE(more.ok()) << more.status().message();
      if (!*more) return;
    }
    FAIL() << "the background refresh never finished";
  }

  std::vector<std::string> Erasures() {
    return ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
      std::vector<std::string> rows;
      auto st = db.Prepare("SELECT child_id, reason, erased_by FROM erasures ORDER BY child_id");
      EXPECT_TRUE(st.ok());
      EXPECT_TRUE(st->ForEachRow([&](const schema::Statement& r) {
                      rows.push_back(r.ColumnText(0) + " " + r.ColumnText(1) + " " +
                                     r.ColumnText(2));
                    }).ok());
      return rows;
    });
  }

  platform::TestClock clock_;
  Language saved_language_ = Language::kZh;
};

TEST_F(ServerAgeingOutTest, OnTheEighteenthBirthdayTheRecordIsCountedNoMore) {
  auto [before, before_bands] = Counted();
  EXPECT_EQ(before, 2);
  EXPECT_EQ(before_bands, (std::vector<std::string>{"15-17", "6-11"}));
  clock_.SetWallMs(ChinaMidnightMs("2026-06-15") - 1);  // the last millisecond at 17
  EXPECT_EQ(Counted().first, 2);
  clock_.SetWallMs(ChinaMidnightMs("2026-06-15"));
  auto [after, after_bands] = Counted();
  EXPECT_EQ(after, 1);
  EXPECT_EQ(after_bands, (std::vector<std::string>{"6-11"}));  // no "18+" band
  RunBackgroundRefresh();
  EXPECT_EQ(Erasures(), std::vector<std::string>{}) << "closed, not erased";
}

TEST_F(ServerAgeingOutTest, WhenTheRetentionHasPassedServeErasesTheRecord) {
  ASSERT_EQ(*store_->RetentionYears(), kDefaultRetentionYears);
  clock_.SetWallMs(ChinaMidnightMs("2028-06-15") - 1);
  RunBackgroundRefresh();
  EXPECT_EQ(Erasures(), std::vector<std::string>{});
  clock_.SetWallMs(ChinaMidnightMs("2028-06-15"));
  RunBackgroundRefresh();
  EXPECT_EQ(Erasures(), std::vector<std::string>{"T1-1 aged_out retention"});
  EXPECT_EQ(CountRows("children"), 1);
  // The terminals of Sihong are told, with the reason.
  auto page = store_->Pull({"JS", "321324"}, 0, 1000);
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->erasures_size(), 1);
  EXPECT_EQ(page->erasures(0).child_id(), "T1-1");
  EXPECT_EQ(page->erasures(0).reason(), "aged_out");
  // A late change of the erased child (an offline terminal) is refused, not resurrected.
  auto refused = PushV3("T1", {MakeUpsert("T1", 3, 3 << 16, "T1-1", {{"name", "王晓明"}})});
  ASSERT_EQ(refused.count(3), 1u);
  EXPECT_NE(refused[3].find("T1-1"), std::string::npos) << refused[3];
  EXPECT_EQ(CountRows("children"), 1);
}

TEST_F(ServerAgeingOutTest, AShorterRetentionErasesTheRecordsNowDue) {
  clock_.SetWallMs(ChinaMidnightMs("2027-01-10"));  // 18 since 2026-06-15, kept until 2028
  RunBackgroundRefresh();
  EXPECT_EQ(Erasures(), std::vector<std::string>{});
  ASSERT_TRUE(store_->SetRetentionYears(0).ok());
  EXPECT_EQ(*store_->RetentionYears(), 0);
  RunBackgroundRefresh();  // the same day: a changed setting is acted on at once
  EXPECT_EQ(Erasures(), std::vector<std::string>{"T1-1 aged_out retention"});
}

TEST_F(ServerAgeingOutTest, TheRetentionIsAWholeNumberOfYearsUpToThirty) {
  EXPECT_EQ(*ParseRetentionYears("0"), 0);
  EXPECT_EQ(*ParseRetentionYears("30"), 30);
  for (const char* bad : {"31", "-1", "two", "", "2.5", "99999999999999999999"}) {
    auto parsed = ParseRetentionYears(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find("retention"), std::string::npos);
  }
  EXPECT_EQ(store_->SetRetentionYears(31).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(*store_->RetentionYears(), kDefaultRetentionYears);
}

}  // namespace
}  // namespace onecard::server
