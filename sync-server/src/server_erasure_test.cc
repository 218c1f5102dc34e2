// Erasure at the server (server_erasure.cc, PRODUCT.md section 13): a child's personal data leaves
// every table and every page of the store's files; its card is revoked, counts lose it, terminals
// are told, and nothing about it is accepted afterwards.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "onecard/platform/i18n.h"
#include "onecard/protocol/bytes.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/event_types.h"
#include "onecard/protocol/id_number.h"
#include "onecard/protocol/sync_event.h"
#include "onecard/schema/sqlcipher_pages.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

using nlohmann::json;
using schema::Database;
using schema::Statement;

constexpr char kName[] = "欧阳晓燕";      // the child erased
constexpr char kPhone[] = "13912345678";  // her mother's phone
constexpr char kKeptName[] = "司马光明";  // another child, kept
constexpr char kSerial[] = "0123456789ABCDEF";

class ServerErasureTest : public ServerStoreFixture {
 protected:
  void SetUp() override {
    saved_language_ = CurrentLanguage();
    SetLanguage(Language::kEn);  // refusals are matched in English
    CreateTwoSiteStore();        // T1 at JS (321324), T2 at GD (440306)
  }
  void TearDown() override {
    SetLanguage(saved_language_);
    ServerStoreFixture::TearDown();
  }

  static std::string IdNumber() { return MakeIdNumber("321324", CivilDate{2016, 3, 15}, 2); }

  // The child (T1-1, a girl of Sihong), registered there and again in Bao'an (T2-1, linked to it as
  // one person), with a card, a move and a referral; another child (T1-2) is kept.
  void RegisterEverywhere() {
    json child = NewChild(kName, "321324");
    child["sex"] = "F";
    child["id_number"] = IdNumber();
    child["card_serial"] = kSerial;
    child["guardians"] =
        json::array({{{"relation", "mother"}, {"name", "欧阳丽华"}, {"phone", kPhone}}});
    Put("T1", 1, 1000, "T1-1", child);
    Put("T1", 2, 1001, "T1-2", NewChild(kKeptName, "321324"));
    Put("T1", 3, 1002, "T1-1", {{"residence_area", "440306"}, {"category", "migrant"}});  // moves
    json again = child;
    again.erase("id_number");
    again.erase("card_serial");
    again["residence_area"] = "440306";
    again["category"] = "migrant";
    again["name"] = "欧阳晓艳";  // one character differs: a review pair or a link
    Put("T2", 1, 1003, "T2-1", again);
    auto referral = store_->Ingest(
        "T1", {MakeEvent("T1", std::string(event_type::kReferralCreate), 4, 1004 << 16, "T1-1",
                         {{"referral_id", "T1-R1"},
                          {"child_id", "T1-1"},
                          {"service", "health"},
                          {"from_site", "JS"},
                          {"to_site", "GD"},
                          {"reason", std::string("母亲电话 ") + kPhone}})});
    ASSERT_TRUE(referral.ok()) << referral.status().message();
    ASSERT_TRUE(store_->RefreshIdentities(/*force=*/false).ok());
  }

  // Children living in Jiangsu and Guangdong, exactly.
  int64_t Total() {
    int64_t total = 0;
    for (const char* area : {"32", "44"}) {
      CountsQuery q;
      q.area_prefix = area;
      q.exact = true;
      q.requested_by = "admin";
      auto r = store_->Counts(q);
      EXPECT_TRUE(r.ok()) << r.status().message();
      total += r.ok() ? r->total.value_or(-1000) : -1000;
    }
    return total;
  }

  // Every text and blob of every row of every table, searched for `text`: the tables that hold it.
  std::vector<std::string> TablesHolding(const std::string& text) {
    return ServerStoreInternals::WithDatabase(*store_, [&](Database& db) {
      std::vector<std::string> tables, holding;
      auto names = db.Prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
      EXPECT_TRUE(names.ok());
      EXPECT_TRUE(
          names->ForEachRow([&](const Statement& r) { tables.push_back(r.ColumnText(0)); }).ok());
      for (const std::string& table : tables) {
        auto rows = db.Prepare("SELECT * FROM \"" + table + "\"");
        EXPECT_TRUE(rows.ok()) << table;
        bool found = false;
        EXPECT_TRUE(rows->ForEachRow([&](const Statement& r) {
                          for (int c = 0; c < r.ColumnCount(); ++c) {
                            if (!r.ColumnIsNull(c) &&
                                r.ColumnText(c).find(text) != std::string::npos)
                              found = true;
                          }
                        })
                        .ok());
        if (found) holding.push_back(table);
      }
      return holding;
    });
  }

  // Every page of server.db and its WAL, decrypted with store.key.
  std::string DecryptedFiles() {
    const std::string hex = schema::testing::ReadWholeFile(dir_ + "/store.key").substr(0, 64);
    auto key = HexDecode(hex);
    EXPECT_TRUE(key.ok());
    return schema::testing::DecryptedStoreFiles(dir_ + "/server.db", ByteSpan(*key));
  }

  static wire::Event Erase(const std::string& terminal, uint64_t seq, const std::string& child,
                           const std::string& reason) {
    wire::Event e;
    e.set_terminal_id(terminal);
    e.set_seq(seq);
    e.set_hlc(Stamp((2000 + seq) << 16));
    e.set_child_id(child);
    WriteTyped(ChildEraseEvent{reason, "周主任"}, e);
    return e;
  }

  Language saved_language_ = Language::kZh;
};

TEST_F(ServerErasureTest, NothingOfTheChildRemainsInAnyTableOrPage) {
  RegisterEverywhere();
  const int64_t before = Total();
  ASSERT_EQ(before, 2);
  ASSERT_EQ(CountRows("identity_links WHERE a = 'T1-1' AND b = 'T2-1'"), 1);
  for (const std::string& text : {std::string(kName), std::string(kPhone), IdNumber()})
    ASSERT_FALSE(TablesHolding(text).empty()) << text;  // the search finds what is there

  Status erased = store_->EraseChild({"T1-1", "consent_withdrawn", "admin-wu"});
  ASSERT_TRUE(erased.ok()) << erased.message();
  ASSERT_TRUE(store_->RefreshIdentities(/*force=*/false).ok());

  for (const std::string& text : {std::string(kName), IdNumber()}) {
    EXPECT_EQ(TablesHolding(text), std::vector<std::string>{}) << text;
  }
  const std::string plain = DecryptedFiles();
  EXPECT_NE(plain.find(kKeptName), std::string::npos);  // the pages read
  EXPECT_EQ(plain.find(kName), std::string::npos);
  EXPECT_EQ(plain.find(IdNumber()), std::string::npos);
  // The same child's other record (T2-1) is another registration: still counted, as the person's
  // current record now, until it is erased too.
  EXPECT_EQ(Total(), before);
  EXPECT_EQ(CountRows("identity_persons"), 0);
  ASSERT_TRUE(store_->EraseChild({"T2-1", "consent_withdrawn", "admin-wu"}).ok());
  EXPECT_EQ(Total(), before - 1);
  EXPECT_EQ(DecryptedFiles().find(kPhone), std::string::npos);
  EXPECT_EQ(TablesHolding(kPhone), std::vector<std::string>{});
  EXPECT_EQ(TablesHolding("欧阳晓艳"), std::vector<std::string>{});
  EXPECT_EQ(CountRows("identity_records WHERE child_id = 'T1-1'"), 0);
  EXPECT_EQ(CountRows("moves WHERE child_id = 'T1-1'"), 0);
  EXPECT_EQ(CountRows("referrals WHERE child_id = 'T1-1' AND reason = ''"), 1);  // outcome kept

  // Every terminal, whatever its area, is told; the card is revoked.
  auto page = store_->Pull({"GD", "440306"}, 0, 100);
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->erasures_size(), 2);
  EXPECT_EQ(page->erasures(0).child_id(), "T1-1");
  EXPECT_EQ(page->erasures(0).reason(), "consent_withdrawn");
  EXPECT_EQ(page->erasures(1).child_id(), "T2-1");
  bool revoked = false;
  for (const auto& card : page->revoked_cards()) revoked |= card.serial() == kSerial;
  EXPECT_TRUE(revoked);
  for (const auto& child : page->children()) EXPECT_NE(child.child_id(), "T1-1");

  EXPECT_EQ(store_->EraseChild({"T1-1", "order", "admin-wu"}).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(store_->EraseChild({"T9-9", "order", "admin-wu"}).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->EraseChild({"T1-2", "aged_out", "admin-wu"}).code(),
            ErrorCode::kInvalidArgument);  // the retention job's reason, not a person's
}

// A pull that already passed the child's last number still gets its erasure.
TEST_F(ServerErasureTest, ATerminalThatPulledTheChildPullsItsErasure) {
  RegisterEverywhere();
  auto first = store_->Pull({"JS", "321324"}, 0, 1000);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->more());
  ASSERT_TRUE(store_->EraseChild({"T1-1", "registered_in_error", "admin-wu"}).ok());
  auto next = store_->Pull({"JS", "321324"}, first->next_cursor(), 1000);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->erasures_size(), 1);
  EXPECT_EQ(next->erasures(0).child_id(), "T1-1");
}

TEST_F(ServerErasureTest, ATerminalsEraseEventErasesAndNothingLaterAboutTheChildIsAccepted) {
  RegisterEverywhere();
  // T2 (Bao'an) may erase T1-1, who lives there now; a reason a person may not give is refused.
  auto refused = PushV3(
      "T2", {Erase("T2", 2, "T1-1", "aged_out"), Erase("T2", 3, "T1-1", "consent_withdrawn")});
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[2].find("erasure reason \"aged_out\""), std::string::npos) << refused[2];
  EXPECT_EQ(CountRows("erasures WHERE child_id = 'T1-1' AND erased_by = '周主任 @ T2'"), 1);
  EXPECT_EQ(TablesHolding(IdNumber()), std::vector<std::string>{});

  // An offline terminal's late edit, referral and decision about the child: refused, not stored.
  refused = PushV3(
      "T1", {MakeUpsert("T1", 5, 1005 << 16, "T1-1", {{"name", "欧阳晓燕"}}),
             MakeEvent("T1", std::string(event_type::kIdentityDecision), 6, 1006 << 16, "T1-2",
                       {{"a", "T1-2"}, {"b", "T2-1"}, {"decision", "separate"}, {"by", "周"}}),
             Erase("T1", 7, "T1-1", "order")});
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[5].find("child T1-1 was erased"), std::string::npos) << refused[5];
  EXPECT_EQ(CountRows("children WHERE child_id = 'T1-1'"), 0);
  EXPECT_EQ(TablesHolding(kName), std::vector<std::string>{});
  // A second erasure (another site, offline) is no error; the first one's record stands.
  EXPECT_EQ(CountRows("erasures WHERE child_id = 'T1-1' AND erased_by = '周主任 @ T2'"), 1);

  // A child the server never held: only its own terminal may erase it (registered and erased
  // before a sync); the id is then never used.
  refused = PushV3("T1", {Erase("T1", 8, "T2-77", "order"), Erase("T1", 9, "T1-50", "order"),
                          MakeUpsert("T1", 10, 1010 << 16, "T1-50", NewChild("李明", "321324"))});
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_NE(refused[8].find("holds no child T2-77"), std::string::npos) << refused[8];
  EXPECT_NE(refused[10].find("child T1-50 was erased"), std::string::npos) << refused[10];
}

}  // namespace
}  // namespace onecard::server
