// Ageing out at the terminal (onecard/protocol/ageing_out.h): from the 18th birthday a record is
// shown only as closed (show and search give its id and the day), and changes, cards, referrals
// and the guardian's copy are refused; the day before, everything is as usual. The terminal
// decides it from the birth date and its clock, with no event, so an offline terminal closes the
// record on time too.
#include <gtest/gtest.h>

#include "onecard/platform/test_clock.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/child_export.h"
#include "onecard/terminal/terminal_store.h"
#include "test_store_fixture.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

int64_t ChinaMidnightMs(const char* day) {
  return CivilDate::Parse(day)->ToDays() * 86'400'000 - 8 * 3'600'000;
}

class TerminalAgeingOutTest : public testing::StoreFixture {
 protected:
  void SetUp() override {
    SetLanguage(Language::kEn);
    StoreFixture::SetUp();
    clock_.SetWallMs(ChinaMidnightMs("2026-06-01"));
    auto opened = TerminalStore::Open(dir_, "chen", testing::kTestPassphrase, clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
    json record = testing::MakeTestRecord("张小雨");
    record["birth_date"] = "2008-06-15";  // 18 on 2026-06-15
    auto id = store_->children().Register(record);
    ASSERT_TRUE(id.ok()) << id.status().message();
    child_ = *id;
  }
  void TearDown() override {
    store_.reset();
    StoreFixture::TearDown();
  }

  platform::TestClock clock_;
  std::unique_ptr<TerminalStore> store_;
  std::string child_;
};

TEST_F(TerminalAgeingOutTest, TheDayBeforeTheBirthdayTheRecordIsOpen) {
  clock_.SetWallMs(ChinaMidnightMs("2026-06-15") - 1);
  auto shown = store_->children().Show(child_);
  ASSERT_TRUE(shown.ok()) << shown.status().message();
  EXPECT_FALSE(IsClosedRecord(*shown));
  EXPECT_EQ(shown->value("name", ""), "张小雨");
  EXPECT_TRUE(store_->children().Update(child_, {{"residence_area", "440305"}}).ok());
}

TEST_F(TerminalAgeingOutTest, FromTheBirthdayTheRecordShowsOnlyAsClosed) {
  clock_.SetWallMs(ChinaMidnightMs("2026-06-15"));
  auto shown = store_->children().Show(child_);
  ASSERT_TRUE(shown.ok()) << shown.status().message();
  EXPECT_EQ(*shown, (json{{"child_id", child_}, {"closed_on", "2026-06-15"}}));
  auto found = store_->children().Search("张小雨", "");
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->at(0), (json{{"child_id", child_}, {"closed_on", "2026-06-15"}}));
}

TEST_F(TerminalAgeingOutTest, AClosedRecordTakesNoChangeCardOrReferral) {
  clock_.SetWallMs(ChinaMidnightMs("2027-01-01"));
  const size_t pending = store_->outbox().Pending(100)->size();
  auto update = store_->children().Update(child_, {{"residence_area", "440305"}});
  ASSERT_FALSE(update.ok());
  EXPECT_EQ(update.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(update.status().message().find("turned 18 on 2026-06-15"), std::string::npos)
      << update.status().message();
  auto for_card = store_->children().RecordOf(child_);  // what card issue and update write
  EXPECT_EQ(for_card.status().code(), ErrorCode::kFailedPrecondition);
  auto referral = store_->referrals().Refer(child_, "health", "GD", "体检");
  EXPECT_EQ(referral.status().code(), ErrorCode::kFailedPrecondition);
  auto copy = store_->exports().Of(child_);  // the guardian's copy shows everything: not now
  EXPECT_EQ(copy.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(store_->outbox().Pending(100)->size(), pending) << "nothing was written";
}

}  // namespace
}  // namespace onecard::terminal
