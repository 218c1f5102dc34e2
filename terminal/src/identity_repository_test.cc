// TerminalStore's identity review: the server's queue and persons applied from pull pages
// (removals included, malformed items set aside), supervisors' decisions as outbox events
// with audit entries, refusals that write nothing, registrars refused.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "onecard/protocol/i18n.h"
#include "onecard/terminal/terminal_store.h"
#include "test_store_fixture.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

class TerminalIdentityTest : public testing::OpenStoreFixture {
 protected:
  void SetUp() override {
    SetLanguage(Language::kEn);  // the tests read the English messages
    OpenStoreFixture::SetUp();
    ASSERT_TRUE(store_);
    auto child = store_->children().Register(testing::MakeTestRecord("陈思琪"));
    ASSERT_TRUE(child.ok());
    own_ = *child;  // GD-T1-1
  }
  // The pair (own_, JS-T1-1) as the server sends it; the Jiangsu record is not held here.
  wire::PullPage PairPage(uint64_t cursor, bool removed = false) {
    wire::PullPage page;
    wire::IdentityReviewItem* item = page.add_identity_review();
    item->set_a(own_);
    item->set_b("JS-T1-1");
    item->set_removed(removed);
    if (!removed) {
      item->set_score(11.5);
      item->set_reasons(3);
      item->mutable_record_a()->set_child_id(own_);
      item->mutable_record_a()->set_name("陈思琪");
      item->mutable_record_b()->set_child_id("JS-T1-1");
      item->mutable_record_b()->set_name("陈思雨");
      item->mutable_record_b()->set_residence_area("321324");
    }
    page.set_next_cursor(cursor);
    return page;
  }
  wire::PullPage PersonPage(uint64_t cursor, std::vector<std::string> members) {
    wire::PullPage page;
    wire::PersonGroup* p = page.add_persons();
    p->set_person_id(own_);
    for (const std::string& m : members) p->add_members(m);
    page.set_next_cursor(cursor);
    return page;
  }
  size_t OutboxSize() { return store_->outbox().Pending(100)->size(); }
  size_t AuditEntries() { return store_->audit().Verify()->entries; }

  std::string own_;
};

TEST_F(TerminalIdentityTest, PulledPairIsListedAndLeavesWhenRemoved) {
  ASSERT_TRUE(store_->pull().ApplyPage(PairPage(5)).ok());
  const size_t audits = AuditEntries();
  auto pairs = store_->identity().ListReview();
  ASSERT_TRUE(pairs.ok()) << pairs.status().message();
  ASSERT_EQ(pairs->size(), 1u);
  EXPECT_EQ((*pairs)[0].a, own_);
  EXPECT_EQ((*pairs)[0].score, 11.5);
  EXPECT_EQ((*pairs)[0].reasons, 3u);
  EXPECT_EQ((*pairs)[0].record_b["name"], "陈思雨");
  EXPECT_EQ((*pairs)[0].record_b["residence_area"], "321324");
  EXPECT_EQ(AuditEntries(), audits + 1);  // the read is audited
  EXPECT_EQ(*store_->pull().Cursor(), 5u);

  ASSERT_TRUE(store_->pull().ApplyPage(PairPage(6, /*removed=*/true)).ok());
  EXPECT_TRUE(store_->identity().ListReview()->empty());
}

TEST_F(TerminalIdentityTest, PersonsGiveTheOtherRecordsUntilDissolved) {
  EXPECT_TRUE(store_->identity().OtherRecordsOf(own_)->empty());
  ASSERT_TRUE(store_->pull().ApplyPage(PersonPage(5, {own_, "JS-T1-1"})).ok());
  EXPECT_EQ(*store_->identity().OtherRecordsOf(own_), std::vector<std::string>{"JS-T1-1"});
  EXPECT_EQ(*store_->identity().OtherRecordsOf("JS-T1-1"), std::vector<std::string>{own_});
  ASSERT_TRUE(store_->pull().ApplyPage(PersonPage(6, {})).ok());
  EXPECT_TRUE(store_->identity().OtherRecordsOf(own_)->empty());
}

TEST_F(TerminalIdentityTest, MalformedItemsAreSetAsideAndTheRestOfThePageIsApplied) {
  wire::PullPage reversed = PairPage(7);
  reversed.mutable_identity_review(0)->set_a("ZZ-1");  // a must sort before b
  auto first = store_->pull().ApplyPage(reversed);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].kind, "identity_pair");
  EXPECT_NE((*first)[0].message.find("a < b"), std::string::npos) << (*first)[0].message;
  EXPECT_EQ(*store_->pull().Cursor(), 7u);
  wire::PullPage mismatched = PairPage(8);
  mismatched.mutable_identity_review(0)->mutable_record_b()->set_child_id("JS-T1-2");
  *mismatched.add_persons() = PersonPage(8, {own_, "JS-T1-1"}).persons(0);
  auto second = store_->pull().ApplyPage(mismatched);
  ASSERT_TRUE(second.ok()) << second.status().message();
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].id, own_ + "/JS-T1-1");
  EXPECT_TRUE(store_->identity().ListReview()->empty());
  // The good item of the same page was applied.
  EXPECT_EQ(*store_->identity().OtherRecordsOf(own_), std::vector<std::string>{"JS-T1-1"});
  EXPECT_EQ(*store_->pull().Cursor(), 8u);  // past both pages
}

TEST_F(TerminalIdentityTest, DecisionIsAnOutboxEventWithAnAuditEntry) {
  ASSERT_TRUE(store_->pull().ApplyPage(PairPage(5)).ok());
  const size_t outbox = OutboxSize();
  const size_t audits = AuditEntries();
  // The pair is in the queue although the Jiangsu record is not held here.
  Status merged = store_->identity().Decide("merge", "JS-T1-1", own_);
  ASSERT_TRUE(merged.ok()) << merged.message();
  auto events = store_->outbox().Pending(100);
  ASSERT_EQ(events->size(), outbox + 1);
  const wire::Event& e = events->back();
  EXPECT_EQ(e.type(), "identity.decision");
  EXPECT_EQ(e.child_id(), "JS-T1-1");
  EXPECT_EQ(json::parse(e.payload()),
            (json{{"a", "JS-T1-1"}, {"b", own_}, {"decision", "merge"}, {"by", "chen"}}));
  EXPECT_EQ(AuditEntries(), audits + 1);
  EXPECT_TRUE(store_->audit().Verify()->intact);
  // The queue is the server's: the pair stays until a pull says otherwise.
  EXPECT_EQ(store_->identity().ListReview()->size(), 1u);
}

TEST_F(TerminalIdentityTest, RefusedDecisionsWriteNothing) {
  ASSERT_TRUE(store_->pull().ApplyPage(PersonPage(5, {own_, "JS-T1-1"})).ok());
  const size_t outbox = OutboxSize();
  struct Case {
    const char* decision;
    std::string a, b;
    ErrorCode code;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"link", own_, "JS-T1-1", ErrorCode::kInvalidArgument, "invalid review decision: link"},
      {"merge", own_, own_, ErrorCode::kInvalidArgument, "the two child ids are the same"},
      {"merge", own_, "JS-T1-1", ErrorCode::kAlreadyExists, "already one child"},
      {"separate", own_, "HN-T1-4", ErrorCode::kNotFound, "no child HN-T1-4 at this terminal"},
      {"unmerge", own_, "HN-T1-4", ErrorCode::kFailedPrecondition, "not merged"},
  };
  for (const Case& c : cases) {
    Status s = store_->identity().Decide(c.decision, c.a, c.b);
    EXPECT_EQ(s.code(), c.code) << c.decision << " " << c.b;
    EXPECT_NE(s.message().find(c.message), std::string::npos) << s.message();
  }
  EXPECT_EQ(OutboxSize(), outbox);
  // Unmerging the pair the server merged is allowed.
  EXPECT_TRUE(store_->identity().Decide("unmerge", "JS-T1-1", own_).ok());
  EXPECT_EQ(OutboxSize(), outbox + 1);
}

TEST_F(TerminalIdentityTest, RegistrarMayNotReview) {
  ASSERT_TRUE(store_->staff().Add("li", StaffRole::kRegistrar, "li's passphrase").ok());
  auto li = OpenAs("li", "li's passphrase");
  ASSERT_TRUE(li);
  Status refused = li->staff().Authorize(StaffAction::kIdentityReview);
  EXPECT_EQ(refused.code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("identity.review"), std::string::npos) << refused.message();
  EXPECT_TRUE(store_->staff().Authorize(StaffAction::kIdentityReview).ok());
}

}  // namespace
}  // namespace onecard::terminal
