// The server's revocation list: card.revoke events, revoked terminals, and their delivery through
// pull in change order together with children.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "onecard/protocol/crypto.h"
#include "onecard/server/server_store.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

using nlohmann::json;

constexpr char kSerial[] = "0A1B2C3D4E5F6071";
constexpr uint64_t kRevokeMs = 1'790'000'000'000;

class ServerRevocationsTest : public ServerStoreFixture {
 protected:
  void SetUp() override { CreateTwoSiteStore(); }

  static wire::Event Event(const std::string& type, uint64_t seq, uint64_t hlc,
                           const std::string& child, const json& payload) {
    return MakeEvent("T1", type, seq, hlc, child, payload);
  }
  static wire::Event Upsert(uint64_t seq, const std::string& child) {
    json fields = {{"name", "张三"},
                   {"sex", "F"},
                   {"birth_date", "2015-01-01"},
                   {"hukou_area", "321324"},
                   {"residence_area", "321324"},
                   {"category", "left_behind"},
                   {"consent", Consent()}};
    return Event("child.upsert", seq, (kRevokeMs << 16) + seq, child,
                 {{"child_id", child}, {"fields", fields}});
  }
  static wire::Event Revoke(uint64_t seq, const std::string& serial, const std::string& child) {
    return Event("card.revoke", seq, (kRevokeMs << 16) | 7, child,
                 {{"serial", serial}, {"child_id", child}, {"reason", "lost"}});
  }
};

TEST_F(ServerRevocationsTest, RevokedCardReachesTerminalsOfEveryAreaOnce) {
  ASSERT_EQ(*store_->Ingest("T1", {Upsert(1, "T1-1"), Revoke(2, kSerial, "T1-1")}), 2u);
  // A resend after a lost acknowledgement stores nothing twice.
  ASSERT_EQ(*store_->Ingest("T1", {Revoke(2, kSerial, "T1-1")}), 2u);
  EXPECT_EQ(CountRows("revocations"), 1);

  // GD (another area) does not see the child, but does see the revoked serial.
  auto page = store_->Pull(PullScope{"", "440306"}, 0, 100);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->children_size(), 0);
  ASSERT_EQ(page->revoked_cards_size(), 1);
  const wire::RevokedCard& card = page->revoked_cards(0);
  EXPECT_EQ(card.serial(), kSerial);
  EXPECT_EQ(card.child_id(), "T1-1");
  EXPECT_EQ(card.reason(), "lost");
  EXPECT_EQ(card.revoked_by(), "T1");
  EXPECT_EQ(card.revoked_at_ms(), static_cast<int64_t>(kRevokeMs));
  EXPECT_FALSE(page->more());

  // From its cursor, nothing again.
  auto again = store_->Pull(PullScope{"", "440306"}, page->next_cursor(), 100);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->revoked_cards_size(), 0);
  EXPECT_EQ(again->next_cursor(), page->next_cursor());
}

TEST_F(ServerRevocationsTest, SecondRevocationOfASerialAddsNothing) {
  ASSERT_EQ(*store_->Ingest("T1", {Revoke(1, kSerial, "")}), 1u);
  ASSERT_EQ(*store_->Ingest("T1", {Revoke(2, kSerial, "")}), 2u);
  EXPECT_EQ(CountRows("events"), 2);
  EXPECT_EQ(CountRows("revocations"), 1);
}

struct BadRevocationCase {
  const char* name;
  json payload;
  std::string event_child;
};
// ctest lists the case by name instead of a byte dump.
void PrintTo(const BadRevocationCase& c, std::ostream* os) { *os << c.name; }

class BadRevocationTest : public ServerRevocationsTest,
                          public ::testing::WithParamInterface<BadRevocationCase> {};

TEST_P(BadRevocationTest, RefusedAndBatchNotStored) {
  wire::Event bad = Event("card.revoke", 2, 5, GetParam().event_child, GetParam().payload);
  auto acked = store_->Ingest("T1", {Upsert(1, "T1-1"), bad});
  ASSERT_FALSE(acked.ok());
  EXPECT_EQ(acked.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CountRows("events"), 0);
  EXPECT_EQ(CountRows("revocations"), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Payloads, BadRevocationTest,
    ::testing::Values(
        BadRevocationCase{"NotJson", "not json", ""},
        BadRevocationCase{"NoSerial", {{"child_id", ""}}, ""},
        BadRevocationCase{"LowerCaseSerial", {{"serial", "0a1b2c3d4e5f6071"}}, ""},
        BadRevocationCase{"ShortSerial", {{"serial", "0A1B"}}, ""},
        BadRevocationCase{"SerialNotString", {{"serial", 12}}, ""},
        BadRevocationCase{"ChildMismatch", {{"serial", kSerial}, {"child_id", "T1-1"}}, "T1-2"},
        BadRevocationCase{"ReasonNotString", {{"serial", kSerial}, {"reason", json::array()}}, ""},
        BadRevocationCase{
            "ReasonTooLong", {{"serial", kSerial}, {"reason", std::string(501, 'x')}}, ""}),
    [](const ::testing::TestParamInfo<BadRevocationCase>& param_info) {
      return std::string(param_info.param.name);
    });

TEST_F(ServerRevocationsTest, RevokedTerminalIsListedOnceWithItsTime) {
  ASSERT_TRUE(store_->RevokeTerminal("T2").ok());
  ASSERT_TRUE(store_->RevokeTerminal("T2").ok());
  auto page = store_->Pull(PullScope{"", "321324"}, 0, 100);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->revoked_terminals_size(), 1);
  EXPECT_EQ(page->revoked_terminals(0).terminal_id(), "T2");
  int64_t now_ms = static_cast<int64_t>(std::time(nullptr)) * 1000;
  EXPECT_LE(std::abs(page->revoked_terminals(0).revoked_at_ms() - now_ms), 5000);
  EXPECT_EQ(store_->RevokeTerminal("nobody").code(), ErrorCode::kNotFound);
}

// Children and revocations interleave in the change sequence; small pages deliver every item
// exactly once, in order, and a child changed after a revocation is still pulled.
TEST_F(ServerRevocationsTest, PagesCarryChildrenAndRevocationsInChangeOrder) {
  ASSERT_TRUE(store_->Ingest("T1", {Upsert(1, "T1-1")}).ok());
  ASSERT_TRUE(store_->Ingest("T1", {Revoke(2, "1111111111111111", "T1-1")}).ok());
  ASSERT_TRUE(store_->Ingest("T1", {Upsert(3, "T1-2")}).ok());
  ASSERT_TRUE(store_->RevokeTerminal("T2").ok());
  ASSERT_TRUE(
      store_->Ingest("T1", {Upsert(4, "T1-1")}).ok());  // T1-1 changes again: moves to the end

  std::vector<std::string> order;
  uint64_t cursor = 0;
  for (int pages = 0; pages < 20; ++pages) {
    auto page = store_->Pull(PullScope{"", "321324"}, cursor, 1);
    ASSERT_TRUE(page.ok()) << page.status().message();
    int items = page->children_size() + page->revoked_cards_size() +
                page->revoked_terminals_size() + page->sites_size();
    EXPECT_LE(items, 1);
    for (const auto& s : page->sites()) order.push_back("site " + s.site_id());
    for (const auto& c : page->children()) order.push_back("child " + c.child_id());
    for (const auto& r : page->revoked_cards()) order.push_back("card " + r.serial());
    for (const auto& t : page->revoked_terminals()) order.push_back("terminal " + t.terminal_id());
    if (!page->more()) break;
    ASSERT_GT(page->next_cursor(), cursor);
    cursor = page->next_cursor();
  }
  EXPECT_EQ(order, (std::vector<std::string>{"site JS", "site GD", "card 1111111111111111",
                                             "child T1-2", "terminal T2", "child T1-1"}));

  // One big page: the same items.
  auto all = store_->Pull(PullScope{"", "321324"}, 0, 100);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->children_size(), 2);
  EXPECT_EQ(all->revoked_cards_size(), 1);
  EXPECT_EQ(all->revoked_terminals_size(), 1);
  EXPECT_EQ(all->sites_size(), 2);
  EXPECT_FALSE(all->more());

  // A page of two after the two sites holds the next two items and says more follow.
  auto two = store_->Pull(PullScope{"", "321324"}, 2, 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->revoked_cards_size(), 1);
  ASSERT_EQ(two->children_size(), 1);
  EXPECT_EQ(two->children(0).child_id(), "T1-2");
  EXPECT_EQ(two->revoked_terminals_size(), 0);
  EXPECT_TRUE(two->more());
}

}  // namespace
}  // namespace onecard::server
