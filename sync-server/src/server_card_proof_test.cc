// Who may change a child outside its site's scope (sync.md, "Who may change a child"): only a
// terminal that presents the child's card record, verified as terminals verify cards.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "onecard/server/server_store.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

using nlohmann::json;

constexpr char kSerial[] = "0A1B2C3D4E5F6071";

class ServerCardProofTest : public ServerStoreFixture {
 protected:
  // T1 (Sihong, 321324) registers T1-1 with card kSerial; T2 (Bao'an, 440306) is out of its scope.
  void SetUp() override {
    CreateTwoSiteStore();
    auto stored = store_->Ingest("T1", {MakeUpsert("T1", 1, 100, "T1-1", Registration())});
    ASSERT_TRUE(stored.ok()) << stored.status().message();
  }
  static json Registration() {
    return {{"name", "刘洋"},
            {"sex", "M"},
            {"birth_date", "2016-04-09"},
            {"hukou_area", "321324"},
            {"residence_area", "321324"},
            {"category", "left_behind"},
            {"consent", Consent()},
            {"card_serial", kSerial}};
  }
  // The record on the card: the registration with the child's id.
  static json CardRecord(const std::string& child_id = "T1-1",
                         const std::string& serial = kSerial) {
    json record = Registration();
    record["child_id"] = child_id;
    record["card_serial"] = serial;
    return record;
  }
  // T2's change of T1-1's residence (the family moved to Bao'an), with `proof` when given.
  Status MoveByT2(uint64_t seq, const std::optional<wire::CardProof>& proof) {
    wire::Event e = MakeUpsert("T2", seq, 200 + seq, "T1-1",
                               {{"residence_area", "440306"}, {"category", "migrant"}});
    if (proof) *e.mutable_card_proof() = *proof;
    auto acked = store_->Ingest("T2", {e});
    return acked.ok() ? Status::Ok() : acked.status();
  }
  std::string StoredResidence() {
    auto page = store_->Pull(PullScope{"", "32"}, 0, 10);
    EXPECT_TRUE(page.ok());
    if (!page.ok() || page->children_size() != 1) return "";
    return json::parse(page->children(0).state())["fields"]["residence_area"]["v"];
  }
};

TEST_F(ServerCardProofTest, WithoutTheCardAChangeOutsideTheScopeIsRefused) {
  Status refused = MoveByT2(1, std::nullopt);
  EXPECT_EQ(refused.code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("T1-1"), std::string::npos) << refused.message();
  EXPECT_EQ(StoredResidence(), "321324");
}

TEST_F(ServerCardProofTest, TheCardItsRegisteringTerminalWroteAdmitsTheChange) {
  Status moved = MoveByT2(1, CardProofFrom("T1", CardRecord()));
  ASSERT_TRUE(moved.ok()) << moved.message();
  EXPECT_EQ(StoredResidence(), "440306");
}

TEST_F(ServerCardProofTest, ForgedDamagedOrForeignCardsAreRefusedAndChangeNothing) {
  // A record of another child, on its own card.
  EXPECT_EQ(MoveByT2(1, CardProofFrom("T1", CardRecord("T1-2", "1111111111111111"))).code(),
            ErrorCode::kPermissionDenied);
  // The right card's record, one byte changed.
  wire::CardProof damaged = CardProofFrom("T1", CardRecord());
  std::string sealed = damaged.sealed_record();
  sealed[sealed.size() / 2] = static_cast<char>(sealed[sealed.size() / 2] ^ 0x01);
  damaged.set_sealed_record(sealed);
  EXPECT_EQ(MoveByT2(1, damaged).code(), ErrorCode::kPermissionDenied);
  // A record T2 sealed itself for a card the server does not know as the child's: any terminal
  // holds a signing key, so this proves nothing.
  EXPECT_EQ(MoveByT2(1, CardProofFrom("T2", CardRecord("T1-1", "2222222222222222"))).code(),
            ErrorCode::kPermissionDenied);
  // The right record presented with another card's serial.
  wire::CardProof other_serial = CardProofFrom("T1", CardRecord());
  other_serial.set_serial(std::string(8, '\x33'));
  EXPECT_EQ(MoveByT2(1, other_serial).code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(StoredResidence(), "321324");
  EXPECT_EQ(CountRows("events"), 1);
}

TEST_F(ServerCardProofTest, ACardRevokedBeforeTheChangeIsRefused) {
  wire::Event revoke = MakeEvent("T1", "card.revoke", 2, 150, "T1-1",
                                 {{"serial", kSerial}, {"child_id", "T1-1"}, {"reason", "lost"}});
  auto revoked = store_->Ingest("T1", {revoke});
  ASSERT_TRUE(revoked.ok()) << revoked.status().message();
  Status refused = MoveByT2(1, CardProofFrom("T1", CardRecord()));
  EXPECT_EQ(refused.code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(refused.message().find(kSerial), std::string::npos) << refused.message();
  EXPECT_EQ(StoredResidence(), "321324");
}

TEST_F(ServerCardProofTest, ACardThisTerminalWroteCountsWhenTheServerKnowsItAsTheChilds) {
  // T2 reissued the child's card earlier (same serial as the server holds): its own record proves
  // the card was at its desk.
  Status moved = MoveByT2(1, CardProofFrom("T2", CardRecord()));
  ASSERT_TRUE(moved.ok()) << moved.message();
  EXPECT_EQ(StoredResidence(), "440306");
}

}  // namespace
}  // namespace onecard::server
