// A terminal trusts no pull (sync.md, "What a terminal checks of a pull"): each bad item of a page
// is set aside with a message naming what is wrong, kept and audited; the good items of the same
// page are applied, the cursor moves on, and a stamp far in the future does not move the clock.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "onecard/platform/clock.h"
#include "onecard/protocol/hybrid_clock.h"
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/store_keys.h"
#include "onecard/terminal/terminal_store.h"
#include "pull_checks.h"
#include "test_store_fixture.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

constexpr uint64_t kYear2100Ms = 4'102'444'800'000;  // 2100-01-01T00:00:00Z

uint64_t NowHlc() { return HybridClock::PhysicalNowMs(platform::SystemClock()) << 16; }

// A snapshot of a valid child held by another terminal, stamped now; `fields` replace its values.
wire::ChildSnapshot Snapshot(const std::string& id, const json& fields = json::object(),
                             uint64_t hlc = NowHlc()) {
  json record = testing::MakeTestRecord("王芳");
  for (const auto& [k, v] : fields.items()) record[k] = v;
  ChildState state(id);
  state.Apply(record, Stamp{hlc, "JS-T1", 3});
  wire::ChildSnapshot snapshot;
  snapshot.set_child_id(id);
  snapshot.set_state(state.ToJson().dump());
  return snapshot;
}

class TerminalPullTest : public testing::OpenStoreFixture {
 protected:
  void SetUp() override {
    SetLanguage(Language::kEn);  // the tests read the English messages
    OpenStoreFixture::SetUp();
  }
  int64_t Count(const std::string& sql) {
    auto key = StoreKeys::Unlock(dir_, "chen", testing::kTestPassphrase);
    auto db = schema::Database::Open(dir_ + "/terminal.db", *key, false);
    auto st = db->Prepare(sql);
    EXPECT_TRUE(st.ok()) << sql;
    if (!st.ok() || !*st->Step()) return -1;
    return st->ColumnInt(0);
  }
};

TEST(PullChecks, BadValuesOfSeveralFieldsAreNamed) {
  const uint64_t now = HybridClock::PhysicalNowMs(platform::SystemClock());
  struct Case {
    json fields;
    const char* names;
  };
  const Case cases[] = {
      {{{"name", 12345}}, "name"},
      {{{"sex", "X"}}, "sex"},
      {{{"birth_date", "2199-01-01"}}, "birth_date"},  // in the future
      {{{"residence_area", "999999"}}, "residence_area"},
      {{{"hukou_area", nullptr}}, "hukou_area"},  // a required field removed
      {{{"shoe_size", 31}}, "shoe_size"},
  };
  for (const Case& c : cases) {
    Result<ChildState> checked = CheckPulledChild(Snapshot("JS-T1-9", c.fields), now);
    ASSERT_FALSE(checked.ok()) << c.fields.dump();
    EXPECT_EQ(checked.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(checked.status().message().find(c.names), std::string::npos)
        << checked.status().message();
  }
  // The same record without the bad value passes, and so does a child now over the age limit.
  EXPECT_TRUE(CheckPulledChild(Snapshot("JS-T1-9"), now).ok());
  EXPECT_TRUE(CheckPulledChild(Snapshot("JS-T1-9", {{"birth_date", "2001-02-03"}}), now).ok());
}

TEST(PullChecks, StatesThatDoNotParseOrNameAnotherChildOrHaveOddIdsFail) {
  const uint64_t now = HybridClock::PhysicalNowMs(platform::SystemClock());
  wire::ChildSnapshot garbage;
  garbage.set_child_id("JS-T1-9");
  garbage.set_state("{garbage");
  EXPECT_NE(CheckPulledChild(garbage, now).status().message().find("state"), std::string::npos);
  wire::ChildSnapshot other = Snapshot("JS-T1-9");
  other.set_child_id("JS-T1-8");
  EXPECT_FALSE(CheckPulledChild(other, now).ok());
  EXPECT_FALSE(CheckPulledChild(Snapshot("JS T1;9"), now).ok());
  EXPECT_FALSE(CheckPulledChild(Snapshot(std::string(65, 'a')), now).ok());
  EXPECT_TRUE(IsSanePulledId(std::string(64, 'a')));
}

TEST(PullChecks, StampsMoreThanTheDriftAheadFailAndDosesAreChecked) {
  const uint64_t now = HybridClock::PhysicalNowMs(platform::SystemClock());
  auto far = CheckPulledChild(Snapshot("JS-T1-9", json::object(), kYear2100Ms << 16), now);
  ASSERT_FALSE(far.ok());
  EXPECT_NE(far.status().message().find("2100-01-01"), std::string::npos) << far.status().message();
  // Within the drift: accepted.
  EXPECT_TRUE(
      CheckPulledChild(Snapshot("JS-T1-9", json::object(), (now + kMaxClockAheadMs / 2) << 16), now)
          .ok());
  auto dose = CheckPulledChild(
      Snapshot("JS-T1-9",
               {{"immunizations",
                 json::array({{{"vaccine", "BCG"}, {"dose", "one"}, {"date", "2018-05-04"}}})}}),
      now);
  EXPECT_FALSE(dose.ok());
}

TEST(PullChecks, OtherItemKindsAreCheckedForWhatApplyingThemNeeds) {
  const uint64_t now = HybridClock::PhysicalNowMs(platform::SystemClock());
  wire::ReferralSnapshot referral;
  referral.set_referral_id("JS-T1-R1");
  referral.set_child_id("JS-T1-1");
  referral.set_from_site("JS");
  referral.set_to_site("GD");
  referral.set_service("health");
  referral.set_status("open");
  referral.set_created_hlc(NowHlc());
  referral.set_status_hlc(NowHlc());
  EXPECT_TRUE(CheckPulledReferral(referral, now).ok());
  referral.set_status_hlc(kYear2100Ms << 16);
  EXPECT_FALSE(CheckPulledReferral(referral, now).ok());
  wire::SiteInfo site;
  site.set_site_id("GD");
  site.set_role("neither");
  EXPECT_FALSE(CheckPulledSite(site).ok());
  wire::PersonGroup person;
  person.set_person_id("GD-T1-1");
  person.add_members("");
  EXPECT_FALSE(CheckPulledPerson(person).ok());
}

TEST_F(TerminalPullTest, BadChildrenAreSetAsideAndTheGoodOneOfThePageIsApplied) {
  wire::PullPage page;
  *page.add_children() = Snapshot("JS-T1-1", {{"name", 12345}});  // the attack seen: a number
  wire::ChildSnapshot garbage;
  garbage.set_child_id("JS-T1-2");
  garbage.set_state("not json");
  *page.add_children() = garbage;
  *page.add_children() = Snapshot("JS-T1-3", json::object(), kYear2100Ms << 16);
  *page.add_children() = Snapshot("JS-T1-4", {{"name", "赵小燕"}});
  page.set_next_cursor(17);

  auto set_aside = store_->pull().ApplyPage(page);
  ASSERT_TRUE(set_aside.ok()) << set_aside.status().message();
  ASSERT_EQ(set_aside->size(), 3u);
  EXPECT_EQ((*set_aside)[0].kind, "child");
  EXPECT_EQ((*set_aside)[0].id, "JS-T1-1");
  EXPECT_EQ((*set_aside)[0].change_seq, 17u);
  EXPECT_NE((*set_aside)[0].message.find("name"), std::string::npos) << (*set_aside)[0].message;
  EXPECT_EQ((*set_aside)[1].id, "JS-T1-2");
  EXPECT_NE((*set_aside)[2].message.find("2100"), std::string::npos) << (*set_aside)[2].message;

  // The good child arrived; the bad ones did not; the cursor moved past them all.
  EXPECT_EQ((*store_->children().Show("JS-T1-4"))["name"], "赵小燕");
  for (const char* id : {"JS-T1-1", "JS-T1-2", "JS-T1-3"}) {
    EXPECT_EQ(store_->children().Show(id).status().code(), ErrorCode::kNotFound) << id;
  }
  EXPECT_EQ(*store_->pull().Cursor(), 17u);

  // The clock did not jump to 2100: the next registration is stamped near now.
  auto registered = store_->children().Register(testing::MakeTestRecord("李娜"));
  ASSERT_TRUE(registered.ok());
  auto pending = store_->outbox().Pending(10);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_LE(HybridClock::PhysicalMs(pending->front().hlc()),
            HybridClock::PhysicalNowMs(platform::SystemClock()) + 1'000);

  // Kept for a supervisor, and audited without the value.
  store_.reset();
  EXPECT_EQ(Count("SELECT count(*) FROM pull_set_aside WHERE kind = 'child' AND change_seq = 17"),
            3);
  EXPECT_EQ(Count("SELECT count(*) FROM pull_set_aside WHERE item_id = 'JS-T1-1' AND message LIKE "
                  "'%name%'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit WHERE action = 'sync.item_set_aside'"), 3);
}

TEST_F(TerminalPullTest, ControlCharactersFromTheServerAreEscaped) {
  wire::PullPage page;
  wire::SiteInfo* site = page.add_sites();
  site->set_site_id("GD\x1b[2J");
  site->set_role("both");
  page.set_next_cursor(2);
  auto set_aside = store_->pull().ApplyPage(page);
  ASSERT_TRUE(set_aside.ok());
  ASSERT_EQ(set_aside->size(), 1u);
  EXPECT_EQ((*set_aside)[0].id, "GD\\x1b[2J");
}

}  // namespace
}  // namespace onecard::terminal
