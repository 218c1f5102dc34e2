// TerminalStore's card lifecycle: revoking, replacing, the revocation list from sync, and the
// refusal of revoked cards and of records signed by revoked terminals after their revocation.
#include <gtest/gtest.h>

#include "onecard/platform/clock.h"
#include "onecard/terminal/terminal_store.h"
#include "test_store_fixture.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

constexpr char kOld[] = "0A1B2C3D4E5F6071";
constexpr char kNew[] = "1122334455667788";

json Record() { return testing::MakeTestRecord("李娜"); }

// What CardService::Read returns for a verified card of a child this terminal has never seen.
CardContents ForeignCard(const std::string& serial, const std::string& signer,
                         int64_t written_unix) {
  CardContents card;
  card.child = Record();
  card.child["child_id"] = "JS-T1-7";
  card.child["card_serial"] = serial;
  card.serial = serial;
  card.signer_terminal_id = signer;
  card.write_counter = 1;
  card.written_unix = written_unix;
  return card;
}

class TerminalRevocationsTest : public testing::OpenStoreFixture {
 protected:
  size_t AuditEntries() {
    auto report = store_->audit().Verify();
    EXPECT_TRUE(report.ok() && report->intact);
    return report.ok() ? report->entries : 0;
  }
  std::vector<wire::Event> Outbox() {
    auto pending = store_->outbox().Pending(100);
    EXPECT_TRUE(pending.ok());
    return pending.ok() ? *pending : std::vector<wire::Event>{};
  }
};

TEST_F(TerminalRevocationsTest, RevokeQueuesEventListsSerialAndIsAudited) {
  auto id = store_->children().Register(Record());
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(store_->children().Update(*id, {{"card_serial", kOld}}).ok());
  size_t audits = AuditEntries();

  // Typed by a person: lower case, grouped.
  ASSERT_TRUE(store_->cards().Revoke("0a1b 2c3d 4e5f 6071", "lost at school").ok());
  std::vector<wire::Event> outbox = Outbox();
  ASSERT_EQ(outbox.size(), 3u);
  EXPECT_EQ(outbox[2].type(), "card.revoke");
  EXPECT_EQ(outbox[2].child_id(), *id);
  EXPECT_EQ(json::parse(outbox[2].payload()),
            (json{{"serial", kOld}, {"child_id", *id}, {"reason", "lost at school"}}));
  EXPECT_EQ(AuditEntries(), audits + 1);

  auto listed = store_->cards().FindRevocation(kOld);
  ASSERT_TRUE(listed.ok());
  ASSERT_TRUE(listed->has_value());
  EXPECT_EQ((*listed)->child_id, *id);
  EXPECT_EQ((*listed)->revoked_by, "GD-T1");
  EXPECT_NEAR(static_cast<double>((*listed)->revoked_at_ms),
              static_cast<double>(platform::SystemClock().WallSeconds()) * 1000, 5000);

  EXPECT_EQ(store_->cards().Revoke(kOld, "").code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(store_->cards().Revoke("0A1B2C3D", "").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->cards().Revoke(kNew, std::string(501, 'x')).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(Outbox().size(), 3u);  // refusals queue nothing
}

TEST_F(TerminalRevocationsTest, UnknownSerialIsRevokedWithoutChild) {
  ASSERT_TRUE(store_->cards().Revoke(kNew, "").ok());
  std::vector<wire::Event> outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].child_id(), "");
}

TEST_F(TerminalRevocationsTest, RevokedCardIsRefusedImportsNothingAndIsAudited) {
  ASSERT_TRUE(store_->cards().Revoke(kOld, "lost").ok());
  size_t events = Outbox().size(), audits = AuditEntries();
  auto read = store_->cards().RecordRead(
      ForeignCard(kOld, "JS-T1", platform::SystemClock().WallSeconds() - 60));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(
      read.status().message().find(UtcIso8601(platform::SystemClock().WallSeconds()).substr(0, 10)),
      std::string::npos)
      << read.status().message();
  EXPECT_EQ(store_->children().RecordOf("JS-T1-7").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(Outbox().size(), events);
  EXPECT_EQ(AuditEntries(), audits + 1);  // the refusal

  // Another card of the same child is fine.
  auto other = store_->cards().RecordRead(
      ForeignCard(kNew, "JS-T1", platform::SystemClock().WallSeconds() - 60));
  ASSERT_TRUE(other.ok()) << other.status().message();
  EXPECT_TRUE(*other);
}

TEST_F(TerminalRevocationsTest, ReplacementSetsNewSerialAndRevokesOld) {
  auto id = store_->children().Register(Record());
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(store_->children().Update(*id, {{"card_serial", kOld}}).ok());
  ASSERT_TRUE(store_->cards().RecordReplacement(*id, kOld, kNew, "damaged").ok());
  EXPECT_EQ((*store_->children().RecordOf(*id))["card_serial"], kNew);
  auto old = store_->cards().FindRevocation(kOld);
  ASSERT_TRUE(old.ok() && old->has_value());
  EXPECT_EQ((*old)->reason, "damaged (replaced by 1122334455667788)");
  EXPECT_FALSE(store_->cards().FindRevocation(kNew)->has_value());
  std::vector<wire::Event> outbox = Outbox();
  ASSERT_EQ(outbox.size(), 4u);
  EXPECT_EQ(outbox[2].type(), "child.upsert");
  EXPECT_EQ(json::parse(outbox[2].payload())["fields"], (json{{"card_serial", kNew}}));
  EXPECT_EQ(outbox[3].type(), "card.revoke");

  EXPECT_EQ(store_->cards().RecordReplacement("GD-T1-99", kOld, kNew, "").code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->cards().RecordReplacement(*id, kOld, "nonsense", "").code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(TerminalRevocationsTest,
       ListFromSyncRefusesRevokedCardsAndLateSignaturesOfRevokedTerminals) {
  const int64_t revoked_at = platform::SystemClock().WallSeconds() - 3600;
  wire::PullPage page;
  page.set_next_cursor(9);
  auto* card = page.add_revoked_cards();
  card->set_serial(kOld);
  card->set_child_id("JS-T1-7");
  card->set_reason("lost");
  card->set_revoked_at_ms(revoked_at * 1000);
  card->set_revoked_by("JS-T1");
  auto* terminal = page.add_revoked_terminals();
  terminal->set_terminal_id("JS-T2");
  terminal->set_revoked_at_ms(revoked_at * 1000);
  ASSERT_TRUE(store_->pull().ApplyPage(page).ok());
  EXPECT_EQ(*store_->pull().Cursor(), 9u);

  auto revoked_card = store_->cards().RecordRead(ForeignCard(kOld, "JS-T1", revoked_at - 60));
  EXPECT_EQ(revoked_card.status().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(revoked_card.status().message().find(UtcIso8601(revoked_at)), std::string::npos);

  // Signed by JS-T2 after its revocation: refused. Before it: accepted.
  auto late = store_->cards().RecordRead(ForeignCard(kNew, "JS-T2", revoked_at + 60));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(late.status().message().find("JS-T2"), std::string::npos);
  EXPECT_EQ(store_->children().RecordOf("JS-T1-7").status().code(), ErrorCode::kNotFound);
  auto early = store_->cards().RecordRead(ForeignCard(kNew, "JS-T2", revoked_at - 60));
  ASSERT_TRUE(early.ok()) << early.status().message();
  EXPECT_TRUE(*early);
}

TEST_F(TerminalRevocationsTest, MalformedEntriesFromServerAreSetAside) {
  wire::PullPage page;
  page.set_next_cursor(5);
  page.add_revoked_cards()->set_serial("not a serial");
  page.add_revoked_terminals()->set_revoked_at_ms(1);  // nameless
  auto set_aside = store_->pull().ApplyPage(page);
  ASSERT_TRUE(set_aside.ok()) << set_aside.status().message();
  ASSERT_EQ(set_aside->size(), 2u);
  EXPECT_EQ((*set_aside)[0].kind, "revoked_card");
  EXPECT_EQ((*set_aside)[0].id, "not a serial");
  EXPECT_EQ((*set_aside)[1].kind, "revoked_terminal");
  EXPECT_EQ((*set_aside)[1].change_seq, 5u);
  EXPECT_EQ(*store_->pull().Cursor(), 5u);
  EXPECT_FALSE(store_->cards().FindRevocation("not a serial").value().has_value());
}

}  // namespace
}  // namespace onecard::terminal
