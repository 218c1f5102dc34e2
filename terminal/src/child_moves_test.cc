// IdentityRepository::MoveOf at a Bao'an (440306) site: a migrant child registered here came from
// its hukou area; a child now living elsewhere whose hukou is here moved out; when the server
// groups a record here with a more recent one elsewhere, the site sees the move, and the earlier
// registration's residence is where a child moved in from.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "identity_review_text.h"
#include "onecard/protocol/i18n.h"
#include "onecard/terminal/terminal_store.h"
#include "test_store_fixture.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

class TerminalMovesTest : public testing::OpenStoreFixture {
 protected:
  void SetUp() override {
    SetLanguage(Language::kEn);
    OpenStoreFixture::SetUp();
  }
  std::string Register(const std::string& name, const std::string& hukou,
                       const std::string& residence) {
    json record = testing::MakeTestRecord(name);
    record["hukou_area"] = hukou;
    record["residence_area"] = residence;
    auto id = store_->children().Register(record);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : "";
  }
  // The server's person `person_id` with `members` (none: dissolved).
  void Group(uint64_t cursor, const std::string& person_id,
             const std::vector<std::string>& members) {
    wire::PullPage page;
    wire::PersonGroup* p = page.add_persons();
    p->set_person_id(person_id);
    for (const std::string& m : members) p->add_members(m);
    page.set_next_cursor(cursor);
    ASSERT_TRUE(store_->pull().ApplyPage(page).ok());
  }
  json Move(const std::string& child_id) {
    auto move = store_->identity().MoveOf(child_id);
    EXPECT_TRUE(move.ok()) << move.status().message();
    return move.ok() ? *move : json("error");
  }
};

TEST_F(TerminalMovesTest, MigrantChildMovedInFromItsHukouArea) {
  std::string id = Register("王小明", "321324", "440306");
  EXPECT_EQ(Move(id), (json{{"kind", "moved_in"}, {"from", "321324"}}));
  EXPECT_EQ(MoveText(Move(id)), "moved in from 321324 泗洪县\n");
  SetLanguage(Language::kZh);
  EXPECT_EQ(MoveText(Move(id)), "从 321324 泗洪县 迁入\n");
}

TEST_F(TerminalMovesTest, LocalChildHasNoMove) {
  EXPECT_TRUE(Move(Register("李明", "440306", "440306")).is_null());
}

TEST_F(TerminalMovesTest, ChildOfThisHukouLivingElsewhereMovedOut) {
  std::string id = Register("张伟", "440306", "310115");
  EXPECT_EQ(Move(id), (json{{"kind", "moved_out"}, {"area", "310115"}}));
  EXPECT_EQ(MoveText(Move(id)), "moved out, now in 310115 浦东新区\n");
}

TEST_F(TerminalMovesTest, TheMostRecentRecordOfThePersonDecides) {
  // Registered here first, then (later) at a Shanghai site; the server grouped the two.
  std::string here = Register("陈思雨", "321324", "440306");
  std::string there = Register("陈思琪", "321324", "310115");
  const std::string person = std::min(here, there);
  Group(5, person, {here, there});
  EXPECT_EQ(Move(here), (json{{"kind", "moved_out"}, {"area", "310115"}}));
  EXPECT_EQ(Move(there), (json{{"kind", "moved_out"}, {"area", "310115"}}));
  // A newer change to the Bao'an record makes it the current one: moved in from Shanghai.
  ASSERT_TRUE(store_->children().Update(here, {{"residence_address", "宝安区新安街道 3 号"}}).ok());
  EXPECT_EQ(Move(here), (json{{"kind", "moved_in"}, {"from", "310115"}}));
  // Ungrouped again: each record alone.
  Group(6, person, {});
  EXPECT_TRUE(Move(there).is_null());  // Jiangsu hukou, Shanghai residence: nothing of this site
  EXPECT_EQ(Move(here), (json{{"kind", "moved_in"}, {"from", "321324"}}));
}

}  // namespace
}  // namespace onecard::terminal
