#include "onecard/server/server_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "cell_key.h"
#include "counts.h"
#include "onecard/platform/test_clock.h"
#include "onecard/protocol/civil_date.h"
#include "record_key.h"
#include "server_store_fixture.h"
#include "server_store_internals.h"

namespace onecard::server {
namespace {

using nlohmann::json;

class ServerStoreTest : public ServerStoreFixture {
 protected:
  void SetUp() override {
    CreateStore({kSihong, kBaoan, {"SZ", "深圳市", "440300", "receiving"}},
                {{"T1", "JS"}, {"T2", "GD"}});
  }
  static wire::Event Upsert(const std::string& terminal, uint64_t seq, uint64_t hlc,
                            const std::string& child, const json& fields) {
    return MakeUpsert(terminal, seq, hlc, child, fields);
  }
  // Ingest's acknowledgement, or 0 with a failure naming the refusal.
  uint64_t Acked(const std::string& terminal, const std::vector<wire::Event>& events) {
    auto acked = store_->Ingest(terminal, events);
    EXPECT_TRUE(acked.ok()) << acked.status().message();
    return acked.ok() ? *acked : 0;
  }
  static json Child(const std::string& residence, const std::string& category,
                    const std::string& sex = "F") {
    return {{"name", "张三"},
            {"sex", sex},
            {"birth_date", "2015-01-01"},
            {"hukou_area", "321324"},
            {"residence_area", residence},
            {"category", category},
            {"consent", Consent()}};
  }
};

TEST_F(ServerStoreTest, IngestIsIdempotentAndAcksOnlyGapFreePrefix) {
  std::vector<wire::Event> batch = {Upsert("T1", 1, 100, "T1-1", Child("321324", "left_behind")),
                                    Upsert("T1", 2, 101, "T1-2", Child("321324", "left_behind"))};
  auto acked = store_->Ingest("T1", batch);
  ASSERT_TRUE(acked.ok()) << acked.status().message();
  EXPECT_EQ(*acked, 2u);
  acked = store_->Ingest("T1", batch);  // a resend after a lost acknowledgement
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(*acked, 2u);
  EXPECT_EQ(CountRows("events"), 2);
  EXPECT_EQ(CountRows("children"), 2);
  // seq 4 arrives before seq 3: stored, but the acknowledgement waits for the gap to close.
  EXPECT_EQ(Acked("T1", {Upsert("T1", 4, 104, "T1-1", {{"sex", "M"}})}), 2u);
  EXPECT_EQ(Acked("T1", {Upsert("T1", 3, 103, "T1-1", {{"sex", "F"}})}), 4u);
  // The acknowledgement is computed from the batch (in any order, with repeats) and the stored
  // high-water mark, then from what earlier batches stored beyond a gap.
  EXPECT_EQ(Acked("T1", {Upsert("T1", 7, 107, "T1-7", Child("321324", "left_behind")),
                         Upsert("T1", 5, 105, "T1-5", Child("321324", "left_behind")),
                         Upsert("T1", 6, 106, "T1-6", Child("321324", "left_behind")),
                         Upsert("T1", 5, 105, "T1-5", Child("321324", "left_behind"))}),
            7u);
  EXPECT_EQ(Acked("T1", {Upsert("T1", 9, 109, "T1-9", Child("321324", "left_behind")),
                         Upsert("T1", 11, 111, "T1-11", Child("321324", "left_behind"))}),
            7u);
  EXPECT_EQ(Acked("T1", {Upsert("T1", 10, 110, "T1-10", Child("321324", "left_behind")),
                         Upsert("T1", 8, 108, "T1-8", Child("321324", "left_behind"))}),
            11u);
  EXPECT_EQ(CountRows("events"), 11);
}

TEST_F(ServerStoreTest, BadBatchStoresNothing) {
  std::vector<wire::Event> batch = {
      Upsert("T1", 1, 100, "T1-1", Child("321324", "left_behind")),
      Upsert("T2", 1, 100, "T2-1", Child("440306", "migrant"))};  // not T1's
  EXPECT_EQ(store_->Ingest("T1", batch).status().code(), ErrorCode::kInvalidArgument);
  wire::Event garbage = Upsert("T1", 1, 1, "T1-1", {});
  garbage.set_payload("{not json");
  EXPECT_EQ(store_->Ingest("T1", {garbage}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CountRows("events"), 0);
  EXPECT_EQ(CountRows("children"), 0);
}

TEST_F(ServerStoreTest, MergeIsIndependentOfArrivalOrder) {
  // The family moved with the card T1 issued; T2 read it and changed the residence before T1's
  // registration reached the server (the card proves the child exists).
  json fields = Child("321324", "left_behind");
  fields["card_serial"] = "0102030405060708";
  json card = fields;
  card["child_id"] = "T1-1";
  auto a = Upsert("T1", 1, 100, "T1-1", fields);
  auto b = Upsert("T2", 1, 200, "T1-1", {{"residence_area", "440306"}, {"category", "migrant"}});
  *b.mutable_card_proof() = CardProofFrom("T1", card);
  auto stored = store_->Ingest("T2", {b});
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  stored = store_->Ingest("T1", {a});
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  auto page = store_->Pull(PullScope{"", "440306"}, 0, 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->children_size(), 1);
  json state = json::parse(page->children(0).state());
  EXPECT_EQ(state["fields"]["residence_area"]["v"], "440306");
  EXPECT_EQ(state["fields"]["name"]["v"], "张三");
}

TEST_F(ServerStoreTest, PullIsScopedAndPaged) {
  ASSERT_TRUE(store_
                  ->Ingest("T1", {Upsert("T1", 1, 1, "T1-1", Child("321324", "left_behind")),
                                  Upsert("T1", 2, 2, "T1-2", Child("440306", "migrant")),
                                  Upsert("T1", 3, 3, "T1-3", Child("440305", "migrant"))})
                  .ok());
  ASSERT_TRUE(store_->AddTerminal("T3", "GD").ok());
  // Bao'an (440306) sees the child living there, not the one in Nanshan (440305).
  auto gd = store_->Pull(PullScope{"", "440306"}, 0, 10);
  ASSERT_TRUE(gd.ok());
  ASSERT_EQ(gd->children_size(), 1);
  EXPECT_EQ(gd->children(0).child_id(), "T1-2");
  // The city site (440300) sees both Shenzhen children; paged one at a time after the three sites
  // (numbered 1 to 3 in the change sequence).
  auto first = store_->Pull(PullScope{"", "440300"}, 3, 1);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->children_size(), 1);
  EXPECT_TRUE(first->more());
  auto second = store_->Pull(PullScope{"", "440300"}, first->next_cursor(), 1);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->children_size(), 1);
  EXPECT_NE(second->children(0).child_id(), first->children(0).child_id());
  auto third = store_->Pull(PullScope{"", "440300"}, second->next_cursor(), 1);
  EXPECT_EQ(third->children_size(), 0);
  EXPECT_FALSE(third->more());
  // The sending county sees all three of its children, wherever they live.
  EXPECT_EQ(store_->Pull(PullScope{"", "321324"}, 0, 10)->children_size(), 3);
}

TEST_F(ServerStoreTest, RevokedTerminalIsFlaggedAndUnknownIsNotFound) {
  ASSERT_TRUE(store_->RevokeTerminal("T2").ok());
  EXPECT_TRUE(store_->FindTerminal("T2")->revoked);
  EXPECT_FALSE(store_->FindTerminal("T1")->revoked);
  EXPECT_EQ(store_->FindTerminal("nope").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->RevokeTerminal("nope").code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->AddTerminal("T1", "JS").code(), ErrorCode::kAlreadyExists);
}

TEST_F(ServerStoreTest, StoreReopensWithItsKeyFile) {
  ASSERT_TRUE(store_->SetMeta("k", "v").ok());
  store_.reset();
  auto again = ServerStore::Open(dir_);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*(*again)->GetMeta("k"), "v");
  EXPECT_EQ(ServerStore::Create(dir_).status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(ServerStore::Open(dir_ + "-missing").status().code(), ErrorCode::kFailedPrecondition);
}

// Ages in counts are on the statistics' date, today in China by the store's clock: a child born
// on 2015-01-01 turns 12 at 2026-12-31T16:00Z (midnight in China) while in UTC it is still 31
// December; the daily roll moves it then. "as_of" stays the time of the newest fact counted.
TEST_F(ServerStoreTest, CountsAgeBandsTurnAtMidnightInChina) {
  const int64_t midnight_in_china = CivilDate{2026, 12, 31}.ToDays() * 86'400'000 + 16 * 3'600'000;
  platform::TestClock clock(midnight_in_china - 1);
  store_.reset();
  auto reopened = ServerStore::Open(dir_, clock);
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  store_ = std::move(reopened).value();
  ASSERT_TRUE(store_->Ingest("T1", {Upsert("T1", 1, 1, "T1-1", Child("440306", "migrant"))}).ok());
  auto counts = [&] {
    return static_cast<ReportStore&>(*store_).Counts(
        {"440306", false, {"age_band"}, true, "admin"});
  };
  auto before = counts();
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(before->groups[0].values, std::vector<std::string>{"6-11"});
  EXPECT_EQ(before->as_of, "2026-12-31T15:59:59Z");
  clock.Advance(std::chrono::milliseconds(1));
  auto after = counts();
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(after->groups[0].values, std::vector<std::string>{"12-14"});
  EXPECT_EQ(after->as_of, "2026-12-31T15:59:59Z");
}

TEST_F(ServerStoreTest, CountsByCategoryMovedOutAndPerturbation) {
  std::vector<wire::Event> events;
  uint64_t seq = 0;
  // Distinct children (counts are of persons: the identity grouping must not join them).
  const std::vector<std::string> surnames = {"赵", "钱", "孙", "李", "周", "吴", "郑", "王",
                                             "冯", "陈", "褚", "卫", "蒋", "沈", "韩", "杨",
                                             "朱", "秦", "尤", "许", "何", "吕", "施"};
  auto add = [&](const std::string& residence, const std::string& category, const std::string& sex,
                 int n) {
    for (int i = 0; i < n; ++i) {
      json child = Child(residence, category, sex);
      child["name"] = surnames.at(seq) + "明";
      child["birth_date"] = "2015-01-" + std::string(seq < 9 ? "0" : "") + std::to_string(seq + 1);
      ++seq;
      events.push_back(Upsert("T1", seq, seq, "T1-" + std::to_string(seq), child));
    }
  };
  add("440306", "migrant", "F", 7);
  add("440306", "migrant", "M", 2);
  add("440305", "migrant", "M", 6);
  add("321324", "left_behind", "F", 8);
  ASSERT_TRUE(store_->Ingest("T1", events).ok());

  auto counts = [&](CountsQuery q) { return static_cast<ReportStore&>(*store_).Counts(q); };
  auto exact = counts({"4403", false, {"sex"}, true, "admin"});
  ASSERT_TRUE(exact.ok()) << exact.status().message();
  EXPECT_EQ(exact->total, 15);
  EXPECT_EQ(exact->dimensions, std::vector<std::string>{"sex"});
  EXPECT_EQ(exact->groups[0].values, std::vector<std::string>{"F"});
  EXPECT_EQ(exact->groups[0].count, 7);
  EXPECT_EQ(exact->groups[1].count, 8);

  // Bao'an by sex (F 7: T1-1 to T1-7, M 2: T1-8 and T1-9), as an official sees it: each count
  // perturbed by the cell key of its children (cell_key.h), M=2 never shown as 2.
  auto safe = counts({"440306", false, {"sex"}, false, ""});
  ASSERT_TRUE(safe.ok());
  auto secret = store_->GetSecret(kCellKeySecretName);
  ASSERT_TRUE(secret.ok());
  const auto keyed = [&](int first, int last) {
    KeyedCount cell;
    for (int i = first; i <= last; ++i)
      cell.Add({1, RecordKey(*secret, "T1-" + std::to_string(i))});
    return cell;
  };
  EXPECT_EQ(safe->total, PublishCount(keyed(1, 9)));
  ASSERT_EQ(safe->groups.size(), 2u);
  EXPECT_EQ(safe->groups[0].count, PublishCount(keyed(1, 7)));
  EXPECT_EQ(safe->groups[1].count, PublishCount(keyed(8, 9)));
  EXPECT_NE(safe->groups[1].count, 2);

  auto moved = counts({"3213", true, {"residence_area:4"}, true, "admin"});
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->total, 15);
  EXPECT_EQ(moved->groups[0].values, std::vector<std::string>{"4403"});

  auto age = counts({"32", false, {"age_band", "category"}, true, "admin"});
  ASSERT_TRUE(age.ok());
  EXPECT_EQ(age->groups[0].values, (std::vector<std::string>{"6-11", "left_behind"}));

  EXPECT_EQ(counts({"44x", false, {}, true, "admin"}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(ParseDimensions("category,colour").ok());
  EXPECT_FALSE(ParseDimensions("sex:4").ok());
  EXPECT_TRUE(ParseDimensions("hukou_area:2,residence_area").ok());
}

TEST(AreaScope, StripsTrailingZeroPairs) {
  EXPECT_EQ(AreaScopePrefix("440306"), "440306");
  EXPECT_EQ(AreaScopePrefix("440300"), "4403");
  EXPECT_EQ(AreaScopePrefix("440000"), "44");
  EXPECT_EQ(AgeBand(0), "0-2");
  EXPECT_EQ(AgeBand(12), "12-14");
  EXPECT_EQ(AgeBand(17), "15-17");
}

}  // namespace
}  // namespace onecard::server
