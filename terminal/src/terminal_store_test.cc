#include "onecard/terminal/terminal_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "onecard/platform/clock.h"
#include "onecard/terminal/store_keys.h"
#include "test_store_fixture.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;

using testing::kTestPassphrase;
using testing::MakeTestBundle;
using testing::MakeTestRecord;

class TerminalStoreTest : public testing::StoreFixture {};

TEST_F(TerminalStoreTest, RegisterUpdateShowSearchAndOutbox) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto id = store->children().Register(MakeTestRecord("李娜"));
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(*id, "GD-T1-1");
  EXPECT_EQ(*store->children().Register(MakeTestRecord("王芳")), "GD-T1-2");
  auto updated = store->children().Update(*id, {{"residence_address", "固戍二路 12 号"}});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ((*updated)["residence_address"], "固戍二路 12 号");
  EXPECT_EQ((*store->children().Show(*id))["name"], "李娜");
  EXPECT_EQ(store->children().Show("GD-T1-99").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store->children().Search("李", "")->size(), 1u);
  EXPECT_EQ(store->children().Search("", "").status().code(), ErrorCode::kInvalidArgument);

  auto pending = store->outbox().Pending(10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 3u);
  EXPECT_EQ((*pending)[0].seq(), 1u);
  EXPECT_EQ((*pending)[2].seq(), 3u);
  EXPECT_LT((*pending)[0].hlc(), (*pending)[2].hlc());
  EXPECT_EQ((*pending)[2].child_id(), *id);
  ASSERT_TRUE(store->outbox().Acknowledge(2).ok());
  EXPECT_EQ(store->outbox().Pending(10)->size(), 1u);
}

TEST_F(TerminalStoreTest, WrongPassphraseOrUserIsRefusedAndPassphraseChangeNeedsNoReencryption) {
  EXPECT_EQ(TerminalStore::Open(dir_, "chen", "wrong passphrase").status().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(TerminalStore::Open(dir_, "nobody", kTestPassphrase).status().code(),
            ErrorCode::kUnauthenticated);
  auto key = StoreKeys::Unlock(dir_, "chen", kTestPassphrase);
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(StoreKeys::SetSlot(dir_, "chen", "a new passphrase", *key).ok());
  EXPECT_EQ(TerminalStore::Open(dir_, "chen", kTestPassphrase).status().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_TRUE(TerminalStore::Open(dir_, "chen", "a new passphrase").ok());
}

TEST_F(TerminalStoreTest, ApplyPageMergesAndAdvancesCursor) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto id = store->children().Register(MakeTestRecord("李娜"));
  ASSERT_TRUE(id.ok());
  // The server's state of the same child, with a newer residence from another terminal.
  ChildState remote(*id);
  // Stamped a minute ahead of this terminal's clock: newer than the registration, within the drift.
  remote.Apply(
      {{"residence_area", "321324"}, {"category", "left_behind"}},
      Stamp{(HybridClock::PhysicalNowMs(platform::SystemClock()) + 60'000) << 16, "JS-T1", 7});
  wire::PullPage page;
  auto* c = page.add_children();
  c->set_child_id(*id);
  c->set_state(remote.ToJson().dump());
  page.set_next_cursor(42);
  auto applied = store->pull().ApplyPage(page);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  EXPECT_TRUE(applied->empty()) << applied->front().message;
  EXPECT_EQ(*store->pull().Cursor(), 42u);
  auto record = store->children().Show(*id);
  EXPECT_EQ((*record)["residence_area"], "321324");
  EXPECT_EQ((*record)["name"], "李娜");
  // A later local change is stamped after what was observed.
  ASSERT_TRUE(store->children().Update(*id, {{"residence_area", "440306"}}).ok());
  EXPECT_EQ((*store->children().Show(*id))["residence_area"], "440306");

  wire::PullPage bad;
  bad.add_children()->set_child_id("x");
  bad.mutable_children(0)->set_state("{garbage");
  bad.set_next_cursor(43);
  auto set_aside = store->pull().ApplyPage(bad);
  ASSERT_TRUE(set_aside.ok()) << set_aside.status().message();
  ASSERT_EQ(set_aside->size(), 1u);
  EXPECT_EQ((*set_aside)[0].id, "x");
  EXPECT_EQ(*store->pull().Cursor(), 43u);
}

TEST_F(TerminalStoreTest, AuditChainDetectsAlteredAndRemovedEntries) {
  {
    auto store = Open();
    ASSERT_TRUE(store);
    auto id = store->children().Register(MakeTestRecord("李娜"));
    ASSERT_TRUE(store->children().Show(*id).ok());
    auto report = store->audit().Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->intact);
    EXPECT_EQ(report->entries, 3);  // init, register, read
  }
  // Tamper with the log behind the program's back (the triggers are dropped first).
  auto key = StoreKeys::Unlock(dir_, "chen", kTestPassphrase);
  auto db = schema::Database::Open(dir_ + "/terminal.db", *key, false);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->Exec("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;").ok());
  ASSERT_TRUE(db->Exec("UPDATE audit SET actor = 'someone else' WHERE id = 2;").ok());
  {
    auto report = Open()->audit().Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_FALSE(report->intact);
    EXPECT_EQ(report->first_bad_id, 2);
  }
  ASSERT_TRUE(
      db->Exec("UPDATE audit SET actor = 'chen' WHERE id = 2; DELETE FROM audit WHERE id = 3;")
          .ok());
  {
    auto report = Open()->audit().Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_FALSE(report->intact);
  }
}

TEST_F(TerminalStoreTest, CardImportCarriesTheCardsRecordStamp) {
  auto store = Open();
  ASSERT_TRUE(store);
  CardContents card;
  card.serial = "0011223344556677";
  card.signer_terminal_id = "JS-T1";
  card.child = MakeTestRecord("王小明");
  card.child["child_id"] = "JS-T1-1";
  card.child["card_serial"] = card.serial;
  // As decoded from a card: signed integers.
  card.child[kCardStampField] = json::array({int64_t{123456789}, "JS-T1", int64_t{4}});
  auto imported = store->cards().RecordRead(card);
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  EXPECT_TRUE(*imported);
  auto events = store->outbox().Pending(10);
  ASSERT_EQ(events->size(), 1u);
  json payload = json::parse((*events)[0].payload());
  EXPECT_EQ(payload["stamp"], json::array({123456789, "JS-T1", 4}));
  EXPECT_FALSE(payload["fields"].contains(kCardStampField));
  EXPECT_EQ((*store->children().Show("JS-T1-1"))["name"], "王小明");
  // Reading the same card again imports nothing and records no new change.
  EXPECT_FALSE(*store->cards().RecordRead(card));
  EXPECT_EQ(store->outbox().Pending(10)->size(), 1u);
}

TEST(TerminalStoreInit, BadBundleWritesNothing) {
  std::string dir =
      (std::filesystem::temp_directory_path() / ("onecard-term-bad-" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  json bundle = MakeTestBundle("T");
  bundle["tls_key"] = "not a key";
  Status s = TerminalStore::Initialize(dir, bundle, "chen", kTestPassphrase);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.message().find("tls_key"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir + "/keys.json"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/terminal.db"));
  EXPECT_EQ(TerminalStore::Initialize(dir, MakeTestBundle("T"), "chen", "short").code(),
            ErrorCode::kInvalidArgument);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace onecard::terminal
