// ServerStore through the ReportStore interface only: what a caller gets without the database,
// in particular that the reports of persons bring the identity grouping up to date themselves.

#include <gtest/gtest.h>

#include "onecard/server/report_store.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

class ServerReportsTest : public ServerStoreFixture {
 protected:
  void SetUp() override { CreateTwoSiteStore(); }

  int64_t Total(const std::string& area) {
    CountsQuery q;
    q.area_prefix = area;
    q.exact = true;
    auto r = reports().Counts(q);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->total.value_or(-1) : -1;
  }
  ReportStore& reports() { return *store_; }
};

TEST_F(ServerReportsTest, CountsAndHistoryAreOfPersonsWithoutARefreshByTheCaller) {
  Put("T1", 1, 1000, "T1-1", NewChild("王小明", "321324"));
  Put("T2", 1, 2000, "T2-1", NewChild("王晓明", "440306"));
  EXPECT_EQ(Total("32") + Total("44"), 1);
  auto history = reports().ResidenceHistory("T2-1");
  ASSERT_TRUE(history.ok()) << history.status().message();
  EXPECT_EQ(history->person_id, "T1-1");
  EXPECT_EQ(history->records, (std::vector<std::string>{"T1-1", "T2-1"}));
  EXPECT_EQ(reports().ResidenceHistory("NO-SUCH").status().code(), ErrorCode::kNotFound);
  // Already current: a refresh that is not forced does nothing.
  auto again = reports().RefreshIdentities(/*force=*/false);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->refreshed);
}

TEST_F(ServerReportsTest, ADecisionChangesTheCountsAndIsLogged) {
  Put("T1", 1, 1000, "T1-1", NewChild("王小明", "321324"));
  Put("T2", 1, 2000, "T2-1", NewChild("王晓明", "440306"));
  ASSERT_EQ(Total("32") + Total("44"), 1);
  ASSERT_TRUE(reports().DecideIdentity(IdentityCommand::kSeparate, "T1-1", "T2-1", "zhou").ok());
  EXPECT_EQ(Total("32") + Total("44"), 2);
  EXPECT_EQ(reports().DecideIdentity(IdentityCommand::kMerge, "T1-1", "T1-1", "zhou").code(),
            ErrorCode::kInvalidArgument);
  auto log = reports().DecisionLog();
  ASSERT_TRUE(log.ok());
  int separations = 0;
  for (const DecisionLogEntry& d : *log)
    separations += d.kind == "separate" && d.decided_by == "zhou" ? 1 : 0;
  EXPECT_EQ(separations, 1);
  auto forced = reports().RefreshIdentities(/*force=*/true);
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->records, 2u);
}

TEST_F(ServerReportsTest, ReportsRefuseMalformedQueries) {
  CountsQuery counts;
  counts.area_prefix = "4x";
  EXPECT_EQ(reports().Counts(counts).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(reports().ReferralStats({"1234567", false}).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(reports().Conflicts("abc").status().code(), ErrorCode::kInvalidArgument);
  auto none = reports().Conflicts("");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->children.empty());
  auto queue = reports().ReviewQueue();
  ASSERT_TRUE(queue.ok());
  EXPECT_TRUE(queue->empty());
}

}  // namespace
}  // namespace onecard::server
