// Erasure at a terminal (erasure_repository.h): by a supervisor here and from the server's pull
// pages. Nothing of the child is left in any table or any page of the store's files; its pending
// events lose what is personal; it is never held again.
#include "onecard/terminal/erasure_repository.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/id_number.h"
#include "onecard/schema/sqlcipher_pages.h"
#include "onecard/terminal/store_keys.h"
#include "onecard/terminal/terminal_store.h"
#include "test_store_fixture.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

constexpr char kName[] = "欧阳晓燕";
constexpr char kPhone[] = "13912345678";
constexpr char kKeptName[] = "司马光明";
constexpr char kSerial[] = "0123456789ABCDEF";

class TerminalErasureTest : public testing::OpenStoreFixture {
 protected:
  void SetUp() override {
    SetLanguage(Language::kEn);
    OpenStoreFixture::SetUp();
  }
  void TearDown() override {
    SetLanguage(Language::kZh);
    OpenStoreFixture::TearDown();
  }

  static std::string IdNumber() { return MakeIdNumber("321324", CivilDate{2018, 5, 4}, 2); }

  // The child erased (with a card, a guardian's phone, an ID number, an edit waiting in the
  // outbox) and another child kept.
  std::string RegisterBoth() {
    json record = testing::MakeTestRecord(kName);
    record["id_number"] = IdNumber();
    record["card_serial"] = kSerial;
    record["guardians"] =
        json::array({{{"relation", "mother"}, {"name", "欧阳丽华"}, {"phone", kPhone}}});
    auto id = store_->children().Register(record);
    EXPECT_TRUE(id.ok()) << id.status().message();
    EXPECT_TRUE(store_->children().Register(testing::MakeTestRecord(kKeptName)).ok());
    EXPECT_TRUE(store_->children().Update(*id, {{"school", {{"name", "宝安实验学校"}}}}).ok());
    return id.ok() ? *id : "";
  }

  // A second connection to the store file, with the key "chen" unwraps.
  schema::Database RawDatabase() {
    auto key = StoreKeys::Unlock(dir_, "chen", testing::kTestPassphrase);
    EXPECT_TRUE(key.ok());
    key_ = std::move(key).value();
    auto db = schema::Database::Open(dir_ + "/terminal.db", key_, false);
    EXPECT_TRUE(db.ok()) << db.status().message();
    return std::move(db).value();
  }

  // The tables with a row holding `text` in any column.
  std::vector<std::string> TablesHolding(const std::string& text) {
    schema::Database db = RawDatabase();
    std::vector<std::string> tables, holding;
    auto names = db.Prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
    EXPECT_TRUE(names.ok());
    EXPECT_TRUE(
        names->ForEachRow([&](const schema::Statement& r) { tables.push_back(r.ColumnText(0)); })
            .ok());
    for (const std::string& table : tables) {
      auto rows = db.Prepare("SELECT * FROM \"" + table + "\"");
      EXPECT_TRUE(rows.ok()) << table;
      bool found = false;
      EXPECT_TRUE(rows->ForEachRow([&](const schema::Statement& r) {
                        for (int c = 0; c < r.ColumnCount(); ++c) {
                          if (!r.ColumnIsNull(c) && r.ColumnText(c).find(text) != std::string::npos)
                            found = true;
                        }
                      })
                      .ok());
      if (found) holding.push_back(table);
    }
    return holding;
  }

  std::string DecryptedFiles() {
    RawDatabase();  // unwraps key_
    return schema::testing::DecryptedStoreFiles(dir_ + "/terminal.db", key_.span());
  }

  std::string OutboxPayloads(const std::string& child_id) {
    auto pending = store_->outbox().Pending(100);
    EXPECT_TRUE(pending.ok());
    std::string all;
    for (const wire::Event& e : *pending) {
      if (e.child_id() == child_id) all += e.type() + " " + e.payload() + "\n";
    }
    return all;
  }

  SecretBytes key_;
};

TEST_F(TerminalErasureTest, ASupervisorsErasureLeavesNothingOfTheChildHere) {
  const std::string id = RegisterBoth();
  for (const std::string& text : {std::string(kName), std::string(kPhone), IdNumber()})
    ASSERT_FALSE(TablesHolding(text).empty()) << text;  // the search finds what is there

  Status erased = store_->erasures().Erase(id, "consent_withdrawn");
  ASSERT_TRUE(erased.ok()) << erased.message();

  for (const std::string& text : {std::string(kName), std::string(kPhone), IdNumber()})
    EXPECT_EQ(TablesHolding(text), std::vector<std::string>{}) << text;
  const std::string plain = DecryptedFiles();
  EXPECT_NE(plain.find(kKeptName), std::string::npos);  // the pages read
  EXPECT_EQ(plain.find(kName), std::string::npos);
  EXPECT_EQ(plain.find(kPhone), std::string::npos);
  EXPECT_EQ(plain.find(IdNumber()), std::string::npos);

  // The registration and the edit keep their numbers, emptied; the erasure goes last.
  EXPECT_EQ(OutboxPayloads(id),
            "child.upsert {\"child_id\":\"" + id +
                "\",\"fields\":{}}\n"
                "child.upsert {\"child_id\":\"" +
                id +
                "\",\"fields\":{}}\n"
                "child.erase {\"by\":\"chen\",\"reason\":\"consent_withdrawn\"}\n");
  auto card = store_->cards().FindRevocation(kSerial);
  ASSERT_TRUE(card.ok() && card->has_value());
  EXPECT_EQ((*card)->reason, "erased");
  auto record = store_->erasures().Find(id);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->erased_by, "chen");
  const Status shown = store_->children().Show(id).status();
  EXPECT_EQ(shown.code(), ErrorCode::kNotFound);
  EXPECT_NE(shown.message().find("child " + id + " was erased at "), std::string::npos)
      << shown.message();

  EXPECT_EQ(store_->erasures().Erase(id, "order").code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(store_->erasures().Erase("GD-T1-99", "order").code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->erasures().Erase(id, "aged_out").code(), ErrorCode::kInvalidArgument);
}

TEST_F(TerminalErasureTest, AnErasureFromTheServerIsAppliedAndTheChildNeverHeldAgain) {
  const std::string id = RegisterBoth();
  wire::PullPage page;
  page.set_next_cursor(10);
  wire::ChildErasure* e = page.add_erasures();
  e->set_child_id(id);
  e->set_reason("order");
  e->set_erased_at_ms(1767225600000);
  auto applied = store_->pull().ApplyPage(page);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  EXPECT_TRUE(applied->empty());
  EXPECT_EQ(TablesHolding(kName), std::vector<std::string>{});
  EXPECT_EQ(DecryptedFiles().find(kPhone), std::string::npos);
  auto record = store_->erasures().Find(id);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->erased_by, "server");

  // A snapshot of the child sent before the server learnt of the erasure: not applied.
  wire::PullPage late;
  late.set_next_cursor(11);
  wire::ChildSnapshot* child = late.add_children();
  child->set_child_id(id);
  child->set_state("{\"child_id\":\"" + id + "\",\"fields\":{\"name\":{\"v\":\"" + kName +
                   "\",\"s\":[1,\"GD-T1\",1]}}}");
  ASSERT_TRUE(store_->pull().ApplyPage(late).ok());
  EXPECT_EQ(store_->children().Show(id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(TablesHolding(kName), std::vector<std::string>{});

  // An erasure with an unknown reason is set aside, not applied.
  wire::PullPage odd;
  odd.set_next_cursor(12);
  odd.add_erasures()->set_child_id("GD-T1-2");
  odd.mutable_erasures(0)->set_reason("because");
  auto set_aside = store_->pull().ApplyPage(odd);
  ASSERT_TRUE(set_aside.ok());
  ASSERT_EQ(set_aside->size(), 1u);
  EXPECT_TRUE(store_->children().Show("GD-T1-2").ok());
}

// A child neither living nor with the hukou in the site's area (pulled, or read from a card) is
// erased by its own site.
TEST_F(TerminalErasureTest, AChildOutsideTheSitesAreaIsErasedByItsOwnSite) {
  json record = testing::MakeTestRecord("李明");
  record["residence_area"] = "321324";
  record["category"] = "left_behind";
  wire::PullPage page;
  page.set_next_cursor(5);
  wire::ChildSnapshot* child = page.add_children();
  child->set_child_id("JS-T1-1");
  json state = {{"child_id", "JS-T1-1"}, {"fields", json::object()}};
  for (const auto& [field, value] : record.items())
    state["fields"][field] = {{"v", value},
                              {"s", json::array({1767225600000ull << 16, "JS-T1", 1})}};
  child->set_state(state.dump());
  auto applied = store_->pull().ApplyPage(page);
  ASSERT_TRUE(applied.ok() && applied->empty()) << (applied.ok() ? (*applied)[0].message : "");
  EXPECT_EQ(store_->erasures().Erase("JS-T1-1", "order").code(), ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace onecard::terminal
