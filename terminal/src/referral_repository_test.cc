// TerminalStore's referrals: refer and move on with the status machine and site checks, nothing
// written on a refusal, pulled versions merged by (rank, stamp), the site directory from sync.
#include <gtest/gtest.h>

#include "../../tests/support/scratch_database.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/i18n.h"
#include "onecard/schema/migrations.h"
#include "onecard/terminal/terminal_store.h"
#include "test_store_fixture.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

// The store's own site is "GD" (test_bundle.h).
class TerminalReferralsTest : public testing::OpenStoreFixture {
 protected:
  void SetUp() override {
    SetLanguage(Language::kEn);  // the tests read the English messages
    OpenStoreFixture::SetUp();
    ASSERT_TRUE(store_);
    wire::PullPage page;
    for (auto [id, area] : {std::pair{"GD", "440306"}, {"CL", "440305"}, {"JS", "321324"}}) {
      wire::SiteInfo* site = page.add_sites();
      site->set_site_id(id);
      site->set_name(id);
      site->set_area(area);
      site->set_role("both");
    }
    page.set_next_cursor(3);
    ASSERT_TRUE(store_->pull().ApplyPage(page).ok());
    auto child = store_->children().Register(testing::MakeTestRecord("李娜"));
    ASSERT_TRUE(child.ok());
    child_ = *child;
  }
  size_t OutboxSize() { return store_->outbox().Pending(100)->size(); }
  size_t AuditEntries() { return store_->audit().Verify()->entries; }
  // A referral addressed to this site, as the server would send it.
  static wire::ReferralSnapshot Incoming(const std::string& status, uint64_t hlc,
                                         const std::string& terminal) {
    wire::ReferralSnapshot r;
    r.set_referral_id("JS-T1-R1");
    r.set_child_id("JS-T1-5");
    r.set_service("protection");
    r.set_from_site("JS");
    r.set_to_site("GD");
    r.set_reason("独自在家");
    r.set_created_hlc(uint64_t{1'790'000'000'000} << 16);
    r.set_status(status);
    r.set_outcome(status);
    r.set_status_hlc(hlc);
    r.set_status_terminal(terminal);
    r.set_status_seq(1);
    return r;
  }

  std::string child_;
};

TEST_F(TerminalReferralsTest, ReferQueuesEventAndShowsInTheList) {
  size_t events = OutboxSize(), audits = AuditEntries();
  auto id = store_->referrals().Refer(child_, "health", "CL", "逾期未接种 DTaP");
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(*id, "GD-T1-R1");
  EXPECT_EQ(*store_->referrals().Refer(child_, "education", "JS", "返乡入学"), "GD-T1-R2");
  auto pending = store_->outbox().Pending(100);
  ASSERT_EQ(pending->size(), events + 2);
  const wire::Event& e = (*pending)[events];
  EXPECT_EQ(e.type(), "referral.create");
  EXPECT_EQ(e.child_id(), child_);
  json payload = json::parse(e.payload());
  EXPECT_EQ(payload["to_site"], "CL");
  EXPECT_EQ(payload["from_site"], "GD");
  EXPECT_EQ(payload["service"], "health");
  EXPECT_EQ(AuditEntries(), audits + 2);

  auto list = store_->referrals().List(child_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].referral_id, "GD-T1-R1");
  EXPECT_EQ((*list)[1].status, ReferralStatus::kOpen);
  EXPECT_EQ((*list)[1].ToJson()["reason"], "逾期未接种 DTaP");
}

TEST_F(TerminalReferralsTest, BadReferralsAreRefusedAndWriteNothing) {
  size_t events = OutboxSize(), audits = AuditEntries();
  struct Case {
    std::string child, service, to_site, reason;
    ErrorCode code;
    const char* names;
  };
  const Case cases[] = {
      {child_, "school", "CL", "x", ErrorCode::kInvalidArgument, "--service"},
      {child_, "health", "NOWHERE", "x", ErrorCode::kNotFound, "NOWHERE"},
      {"GD-T1-999", "health", "CL", "x", ErrorCode::kNotFound, "GD-T1-999"},
      {child_, "health", "CL", "", ErrorCode::kInvalidArgument, "--reason"},
      {child_, "health", "CL", std::string(501, 'x'), ErrorCode::kInvalidArgument, "--reason"},
  };
  for (const Case& c : cases) {
    auto id = store_->referrals().Refer(c.child, c.service, c.to_site, c.reason);
    ASSERT_FALSE(id.ok()) << c.names;
    EXPECT_EQ(id.status().code(), c.code) << id.status().message();
    EXPECT_NE(id.status().message().find(c.names), std::string::npos) << id.status().message();
  }
  EXPECT_EQ(OutboxSize(), events);
  EXPECT_EQ(AuditEntries(), audits);
  EXPECT_TRUE(store_->referrals().List("")->empty());
}

TEST_F(TerminalReferralsTest, TransitionsFollowTheStatusMachineAndTheSite) {
  // Made here, addressed to CL: this site may close it but not accept it.
  std::string own = *store_->referrals().Refer(child_, "health", "CL", "逾期未接种");
  size_t events = OutboxSize();
  auto accept = store_->referrals().Move(own, ReferralStatus::kAccepted, "");
  EXPECT_EQ(accept.status().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(accept.status().message().find("not addressed to this site"), std::string::npos)
      << accept.status().message();
  EXPECT_EQ(store_->referrals().Move("GD-T1-R77", ReferralStatus::kAccepted, "").status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(OutboxSize(), events);

  // Addressed to this site (from sync): accept, then complete; decline is no longer allowed.
  wire::PullPage page;
  *page.add_referrals() = Incoming("open", uint64_t{1'790'000'000'000} << 16, "JS-T1");
  page.set_next_cursor(9);
  ASSERT_TRUE(store_->pull().ApplyPage(page).ok());
  auto accepted = store_->referrals().Move("JS-T1-R1", ReferralStatus::kAccepted, "已预约");
  ASSERT_TRUE(accepted.ok()) << accepted.status().message();
  EXPECT_EQ(accepted->status, ReferralStatus::kAccepted);
  EXPECT_EQ(accepted->outcome, "已预约");
  auto decline = store_->referrals().Move("JS-T1-R1", ReferralStatus::kDeclined, "", "other");
  EXPECT_EQ(decline.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(decline.status().message().find("from status accepted"), std::string::npos)
      << decline.status().message();
  ASSERT_TRUE(store_->referrals().Move("JS-T1-R1", ReferralStatus::kCompleted, "已接种").ok());
  EXPECT_EQ(
      store_->referrals().Move("JS-T1-R1", ReferralStatus::kClosedUnreached, "").status().code(),
      ErrorCode::kFailedPrecondition);
  auto pending = store_->outbox().Pending(100);
  ASSERT_EQ(pending->size(), events + 2);
  EXPECT_EQ(pending->back().type(), "referral.status");
  EXPECT_EQ(json::parse(pending->back().payload())["status"], "completed");
  EXPECT_EQ(pending->back().child_id(), "JS-T1-5");
}

// A decline needs one of the four codes: without one, or with another word, it is refused naming
// --reason and listing the codes, and nothing is written; with one, the code goes into the
// outbox event, the referral and the list, and the note is the outcome.
TEST_F(TerminalReferralsTest, DeclineNeedsACodedReason) {
  const uint64_t t0 = uint64_t{1'790'000'000'000} << 16;
  wire::PullPage page;
  *page.add_referrals() = Incoming("open", t0, "JS-T1");
  page.set_next_cursor(9);
  ASSERT_TRUE(store_->pull().ApplyPage(page).ok());
  const size_t events = OutboxSize(), audits = AuditEntries();
  for (const char* code : {"", "busy", "转介不当"}) {
    auto refused =
        store_->referrals().Move("JS-T1-R1", ReferralStatus::kDeclined, "床位已满", code);
    ASSERT_FALSE(refused.ok()) << code;
    EXPECT_EQ(refused.status().code(), ErrorCode::kInvalidArgument);
    const std::string& message = refused.status().message();
    EXPECT_NE(message.find("--reason"), std::string::npos) << message;
    EXPECT_NE(message.find("inappropriate (referral not appropriate)"), std::string::npos)
        << message;
    EXPECT_NE(message.find("family_refused"), std::string::npos) << message;
    EXPECT_NE(message.find("--note"), std::string::npos) << message;
  }
  SetLanguage(Language::kZh);
  EXPECT_NE(CheckDeclineReasonGiven("").message().find("no_capacity（无接收能力）"),
            std::string::npos);
  SetLanguage(Language::kEn);
  EXPECT_EQ(OutboxSize(), events);
  EXPECT_EQ(AuditEntries(), audits);
  EXPECT_EQ(store_->referrals().List("")->front().status, ReferralStatus::kOpen);

  auto declined =
      store_->referrals().Move("JS-T1-R1", ReferralStatus::kDeclined, "床位已满", "no_capacity");
  ASSERT_TRUE(declined.ok()) << declined.status().message();
  EXPECT_EQ(declined->decline_reason, "no_capacity");
  EXPECT_EQ(declined->outcome, "床位已满");
  auto pending = store_->outbox().Pending(100);
  ASSERT_EQ(pending->size(), events + 1);
  const json payload = json::parse(pending->back().payload());
  EXPECT_EQ(payload["status"], "declined");
  EXPECT_EQ(payload["decline_reason"], "no_capacity");
  EXPECT_EQ(payload["outcome"], "床位已满");
  const Referral listed = store_->referrals().List("")->front();
  EXPECT_EQ(listed.decline_reason, "no_capacity");
  EXPECT_EQ(listed.ToJson()["decline_reason"], "no_capacity");
}

TEST_F(TerminalReferralsTest, PulledVersionsMergeByRankThenStamp) {
  const uint64_t t0 = uint64_t{1'790'000'000'000} << 16;
  auto apply = [&](const wire::ReferralSnapshot& r) {
    wire::PullPage page;
    *page.add_referrals() = r;
    page.set_next_cursor(10);
    ASSERT_TRUE(store_->pull().ApplyPage(page).ok());
  };
  auto status = [&] { return store_->referrals().List("")->front(); };
  apply(Incoming("accepted", t0 + 10, "GD-T2"));
  EXPECT_EQ(status().status, ReferralStatus::kAccepted);
  apply(Incoming("open", t0 + 50, "JS-T1"));  // a late, lower-ranked version changes nothing
  EXPECT_EQ(status().status, ReferralStatus::kAccepted);
  wire::ReferralSnapshot declined = Incoming("declined", t0 + 30, "GD-T3");
  declined.set_decline_reason("family_refused");
  apply(declined);
  apply(Incoming("closed_unreached", t0 + 20, "JS-T1"));  // same rank, older stamp
  EXPECT_EQ(status().status, ReferralStatus::kDeclined);
  EXPECT_EQ(status().outcome, "declined");
  EXPECT_EQ(status().decline_reason, "family_refused");
  apply(Incoming("completed", t0 + 5, "GD-T2"));
  EXPECT_EQ(status().status, ReferralStatus::kCompleted);
  EXPECT_EQ(status().decline_reason, "");

  wire::PullPage bad;
  *bad.add_referrals() = Incoming("finished", t0, "X");
  auto set_aside = store_->pull().ApplyPage(bad);
  ASSERT_TRUE(set_aside.ok()) << set_aside.status().message();
  ASSERT_EQ(set_aside->size(), 1u);
  EXPECT_NE((*set_aside)[0].message.find("finished"), std::string::npos) << (*set_aside)[0].message;
  EXPECT_EQ(status().status, ReferralStatus::kCompleted);  // unchanged
  wire::PullPage bad_code;
  *bad_code.add_referrals() = Incoming("declined", t0 + 90, "X");
  bad_code.mutable_referrals(0)->set_decline_reason("busy");
  auto code_set_aside = store_->pull().ApplyPage(bad_code);
  ASSERT_TRUE(code_set_aside.ok());
  ASSERT_EQ(code_set_aside->size(), 1u);
  EXPECT_NE((*code_set_aside)[0].message.find("decline_reason"), std::string::npos);
}

// A store of version 10 with a referral row gets the status stamp columns (zero: any pulled
// version wins over it) and a referral counter.
TEST(TerminalReferralsMigration, AddsStampsAndCounter) {
  onecard::testing::ScratchDatabase scratch("termrefmig");
  auto db = scratch.CreateAt(schema::TerminalMigrationFiles(), 10);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE(db->Exec("INSERT INTO referrals(referral_id, child_id, service, from_site, to_site, "
                       "reason, status, "
                       "created_at, updated_at) VALUES ('T-R1', 'T-1', 'health', 'A', 'B', 'x', "
                       "'accepted', 'c', 'u')")
                  .ok());
  ASSERT_TRUE(schema::Migrate(*db, schema::TerminalMigrationFiles()).ok());
  auto st = db->Prepare(
      "SELECT status, status_hlc, status_terminal, status_seq, created_hlc FROM referrals");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->ColumnText(0), "accepted");
  EXPECT_EQ(st->ColumnInt(1), 0);
  EXPECT_EQ(st->ColumnText(2), "");
  EXPECT_EQ(st->ColumnInt(4), 0);
  auto meta = db->Prepare("SELECT value FROM meta WHERE key = 'next_referral_number'");
  ASSERT_TRUE(meta.ok());
  ASSERT_TRUE(*meta->Step());
  EXPECT_EQ(meta->ColumnText(0), "1");
}

// A store of version 15: its declines, made before the codes, become "other"; nothing else has
// a code.
TEST(TerminalReferralsMigration, OlderDeclinesAreOther) {
  onecard::testing::ScratchDatabase scratch("termrefmig16");
  auto db = scratch.CreateAt(schema::TerminalMigrationFiles(), 15);
  ASSERT_TRUE(db.ok()) << db.status().message();
  for (const char* row : {"('T-R1', 'declined')", "('T-R2', 'completed')"}) {
    ASSERT_TRUE(
        db->Exec(std::string("INSERT INTO referrals(referral_id, status, child_id, service, "
                             "from_site, to_site, reason, created_at, updated_at) "
                             "SELECT column1, column2, 'T-1', 'health', 'A', 'B', 'x', "
                             "'c', 'u' FROM (VALUES ") +
                 row + ")")
            .ok());
  }
  ASSERT_TRUE(schema::Migrate(*db, schema::TerminalMigrationFiles()).ok());
  auto st = db->Prepare(
      "SELECT referral_id || '=' || decline_reason FROM referrals "
      "ORDER BY referral_id");
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(*st->FirstColumnTexts(), (std::vector<std::string>{"T-R1=other", "T-R2="}));
}

}  // namespace
}  // namespace onecard::terminal
