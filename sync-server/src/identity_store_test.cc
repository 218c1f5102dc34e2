#include "identity_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "counts.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/id_number.h"
#include "onecard/server/server_store.h"
#include "residence_history.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

using nlohmann::json;

// A real server store (SQLCipher file) fed through Ingest, as the sync service does.
class IdentityStoreTest : public ServerStoreFixture {
 protected:
  void SetUp() override { CreateTwoSiteStore(); }

  int64_t Total(const std::string& area, bool moved_out = false) {
    CountsQuery q;
    q.area_prefix = area;
    q.moved_out = moved_out;
    q.exact = true;
    q.requested_by = "test";
    auto r = static_cast<ReportStore&>(*store_).Counts(q);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->total.value_or(-1) : -1;
  }
  Status Decide(IdentityCommand c, const std::string& a, const std::string& b) {
    return ServerStoreInternals::WithDatabase(
        *store_, [&](schema::Database& db) { return DecideIdentity(db, c, a, b, "zhou"); });
  }
};

TEST_F(IdentityStoreTest,
       HomophoneRegistrationsAreOnePersonCountedWhereTheLatestRecordSaysAndBothAreKept) {
  Put("T1", 1, 1000, "T1-1", NewChild("王小明", "321324"));
  Put("T2", 1, 2000, "T2-1", NewChild("王晓明", "440306"));
  EXPECT_EQ(Total("4403"), 1);
  EXPECT_EQ(Total("3213"), 0);
  EXPECT_EQ(Total("3213", true), 1);
  EXPECT_EQ(CountRows("children"), 2);
  EXPECT_EQ(CountRows("events"), 2);
  EXPECT_EQ(CountRows("identity_persons"), 2);

  // The sending site's record changes later: it becomes the current one, and the child is counted
  // back in Sihong (the reverse move is as ordinary as the forward one).
  Put("T1", 2, 3000, "T1-1", {{"residence_area", "321324"}, {"residence_address", "青阳街道"}});
  EXPECT_EQ(Total("4403"), 0);
  EXPECT_EQ(Total("3213"), 1);

  auto history = ServerStoreInternals::WithDatabase(
      *store_, [](schema::Database& db) { return ResidenceHistory(db, "T2-1"); });
  ASSERT_TRUE(history.ok()) << history.status().message();
  EXPECT_EQ(history->person_id, "T1-1");
  EXPECT_EQ(history->current_record, "T1-1");
  // 321324 (T1, registered) → 440306 (T2) ; T1's later event repeats 321324: a move back.
  ASSERT_EQ(history->moves.size(), 2u);
  EXPECT_EQ(history->moves[0].to, "440306");
  EXPECT_EQ(history->moves[1].to, "321324");
  EXPECT_FALSE(history->moved_out);
}

TEST_F(IdentityStoreTest, AChangedRecordIsReadAgainAndALinkThatNoLongerHoldsIsUndoneAndLogged) {
  Put("T1", 1, 1000, "T1-1", NewChild("王小明", "321324"));
  Put("T2", 1, 2000, "T2-1", NewChild("王晓明", "440306"));
  EXPECT_EQ(Total("32") + Total("44"), 1);
  // The receiving site corrects the birth date: not the same child after all.
  Put("T2", 2, 3000, "T2-1", {{"birth_date", "2012-11-02"}});
  EXPECT_EQ(Total("32") + Total("44"), 2);
  EXPECT_EQ(CountRows("identity_persons"), 0);
  auto log = ServerStoreInternals::WithDatabase(
      *store_, [](schema::Database& db) { return IdentityDecisionLog(db); });
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].kind, "auto_link");
  EXPECT_EQ((*log)[1].kind, "auto_unlink");
  // A full refresh from the states finds the same.
  auto full = store_->RefreshIdentities(true);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->records, 2u);
  EXPECT_EQ(full->persons, 0u);
  EXPECT_EQ(CountRows("identity_decisions"), 2);
}

TEST_F(IdentityStoreTest, DecisionsAreLoggedAppendOnlyAndBadOnesWriteNothing) {
  Put("T1", 1, 1000, "T1-1", NewChild("陈思雨", "321324"));
  Put("T2", 1, 2000, "T2-1", NewChild("陈思琪", "440306"));
  ASSERT_TRUE(store_->RefreshIdentities(false).ok());
  auto queue = ServerStoreInternals::WithDatabase(
      *store_, [](schema::Database& db) { return IdentityReviewQueue(db); });
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ(Total("4403") + Total("3213"), 2);

  EXPECT_EQ(Decide(IdentityCommand::kUnmerge, "T1-1", "T2-1").code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Decide(IdentityCommand::kMerge, "T1-1", "T1-9").code(), ErrorCode::kNotFound);
  EXPECT_EQ(Decide(IdentityCommand::kMerge, "T1-1", "T1-1").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CountRows("identity_decisions"), 0);

  ASSERT_TRUE(Decide(IdentityCommand::kMerge, "T2-1", "T1-1").ok());
  EXPECT_EQ(Total("4403") + Total("3213"), 1);
  EXPECT_EQ(Decide(IdentityCommand::kMerge, "T1-1", "T2-1").code(), ErrorCode::kAlreadyExists);
  ASSERT_TRUE(Decide(IdentityCommand::kUnmerge, "T1-1", "T2-1").ok());
  EXPECT_EQ(Total("4403") + Total("3213"), 2);
  ASSERT_TRUE(Decide(IdentityCommand::kSeparate, "T1-1", "T2-1").ok());
  EXPECT_EQ(CountRows("identity_review"), 0);
  EXPECT_EQ(CountRows("children"), 2);
  EXPECT_EQ(CountRows("events"), 2);

  auto log = ServerStoreInternals::WithDatabase(
      *store_, [](schema::Database& db) { return IdentityDecisionLog(db); });
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].kind, "merge");
  EXPECT_EQ((*log)[0].a, "T1-1");  // pairs are stored in order
  EXPECT_EQ((*log)[0].decided_by, "zhou");

  Status rewrite = ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
    return db.Exec("UPDATE identity_decisions SET kind = 'merge'");
  });
  EXPECT_FALSE(rewrite.ok());
  Status erase = ServerStoreInternals::WithDatabase(
      *store_, [](schema::Database& db) { return db.Exec("DELETE FROM identity_decisions"); });
  EXPECT_FALSE(erase.ok());
  EXPECT_EQ(CountRows("identity_decisions"), 3);
}

TEST_F(IdentityStoreTest,
       SameIdNumberIsOneChildWhateverTheNamesAndARefreshWithNoChangeDoesNothing) {
  json a = NewChild("李娜", "321324"), b = NewChild("张伟", "440306");
  a["id_number"] = b["id_number"] = MakeIdNumber("321324", CivilDate{2016, 3, 15}, 123);
  Put("T1", 1, 1000, "T1-1", a);
  Put("T2", 1, 2000, "T2-1", b);
  auto first = store_->RefreshIdentities(false);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->refreshed);
  EXPECT_EQ(first->persons, 1u);
  auto second = store_->RefreshIdentities(false);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->refreshed);
  auto forced = store_->RefreshIdentities(true);
  ASSERT_TRUE(forced.ok());
  EXPECT_TRUE(forced->refreshed);
  EXPECT_EQ(CountRows("identity_decisions"), 1);  // the link is logged once, not at every refresh
}

}  // namespace
}  // namespace onecard::server
