// ServerStore through the ReportStore interface only: what a caller gets without the database,
// in particular that the reports of persons bring the identity grouping up to date themselves.

#include <gtest/gtest.h>

#include "onecard/server/report_store.h"
#include "record_key.h"
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
    q.requested_by = "admin";
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
  EXPECT_EQ(reports().ReferralStats({"1234567", false, ""}).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(reports().Conflicts("abc").status().code(), ErrorCode::kInvalidArgument);
  auto none = reports().Conflicts("");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->children.empty());
  auto queue = reports().ReviewQueue();
  ASSERT_TRUE(queue.ok());
  EXPECT_TRUE(queue->empty());
}

TEST_F(ServerReportsTest, EveryExactQueryIsAuditedAndNeverAnonymous) {
  Put("T2", 1, 2000, "T2-1", NewChild("王晓明", "440306"));
  CountsQuery q;
  q.area_prefix = "4403";
  q.by = {"sex", "category"};
  q.moved_out = true;
  q.exact = true;
  EXPECT_EQ(reports().Counts(q).status().code(), ErrorCode::kInvalidArgument);  // nobody named
  q.requested_by = "zhou";
  ASSERT_TRUE(reports().Counts(q).ok());
  ASSERT_TRUE(reports().ReferralStats({"44", true, "li"}).ok());
  q.exact = false;  // officials' questions are not exact queries: not audited
  ASSERT_TRUE(reports().Counts(q).ok());
  const auto audit = ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
    auto st = db.Prepare(
        "SELECT requested_by, query, requested_at FROM exact_query_audit "
        "ORDER BY audit_id");
    EXPECT_TRUE(st.ok());
    std::vector<std::string> rows;
    while (*st->Step()) {
      rows.push_back(st->ColumnText(0) + ": " + st->ColumnText(1));
      EXPECT_EQ(st->ColumnText(2).size(), 20u) << st->ColumnText(2);  // 2026-06-01T08:00:00Z
    }
    // Append-only: neither changed nor deleted.
    EXPECT_FALSE(db.Exec("UPDATE exact_query_audit SET requested_by = 'x'").ok());
    EXPECT_FALSE(db.Exec("DELETE FROM exact_query_audit").ok());
    return rows;
  });
  EXPECT_EQ(audit, (std::vector<std::string>{
                       "zhou: counts --area 4403 --moved-out --by sex,category --exact",
                       "li: referrals stats --area 44 --exact"}));
}

TEST_F(ServerReportsTest, AnOfficialMayCombineAtMostThreeDimensions) {
  CountsQuery q;
  q.area_prefix = "44";
  q.by = {"category", "sex", "age_band", "school_status"};
  auto refused = reports().Counts(q);
  EXPECT_EQ(refused.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find('3'), std::string::npos) << refused.status().message();
  q.by.pop_back();
  EXPECT_TRUE(reports().Counts(q).ok());
  q.by = {"sex", "sex", "sex", "sex"};  // one dimension, repeated
  EXPECT_TRUE(reports().Counts(q).ok());
  q.by = {"category", "sex", "age_band", "school_status"};
  q.exact = true;  // an administrator's exact query is not limited
  q.requested_by = "admin";
  EXPECT_TRUE(reports().Counts(q).ok());
}

TEST_F(ServerReportsTest, EveryChildHasAFixedRecordKeyAndTheCellKeySecretCannotChangeAfter) {
  Put("T1", 1, 1000, "T1-1", NewChild("王小明", "321324"));
  Put("T2", 1, 2000, "T2-1", NewChild("李小红", "440306", "2018-01-02"));
  const auto keys = [this] {
    return ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
      auto st = db.Prepare("SELECT child_id, record_key FROM children ORDER BY child_id");
      EXPECT_TRUE(st.ok());
      std::map<std::string, int64_t> out;
      while (*st->Step()) out[st->ColumnText(0)] = st->ColumnIsNull(1) ? -1 : st->ColumnInt(1);
      return out;
    });
  };
  const std::map<std::string, int64_t> before = keys();
  ASSERT_EQ(before.size(), 2u);
  auto secret = store_->GetSecret(kCellKeySecretName);
  ASSERT_TRUE(secret.ok()) << "made with the store";
  for (const auto& [child, key] : before) {
    EXPECT_EQ(key, int64_t{RecordKey(*secret, child)}) << child;
  }
  // A later change of the child keeps its key.
  Put("T2", 2, 3000, "T2-1", {{"sex", "F"}});
  EXPECT_EQ(keys(), before);
  EXPECT_EQ(store_->SetSecret(kCellKeySecretName, RandomSecret(32)).code(),
            ErrorCode::kFailedPrecondition);
  // A row stored without a key (as before migration 012) is keyed before it is counted.
  ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
    EXPECT_TRUE(db.Exec("UPDATE children SET record_key = NULL").ok());
    return 0;
  });
  EXPECT_EQ(Total("44"), 1);
  EXPECT_EQ(keys(), before);
}

}  // namespace
}  // namespace onecard::server
