// The server's own audit chain (server_audit.cc, cli.cc RunAudited): the commands that read
// personal data at the server or change who may read it are recorded after they succeed — who
// (the operating-system user), what, about whom, with which flags — and `audit verify` finds an
// altered or removed entry.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_console.h"
#include "onecard/platform/i18n.h"
#include "server_store_fixture.h"

namespace onecard::server {
namespace {

using nlohmann::json;

class ServerAuditTest : public ServerStoreFixture {
 protected:
  void SetUp() override {
    saved_language_ = CurrentLanguage();
    SetLanguage(Language::kEn);
    CreateTwoSiteStore();
    Put("T1", 1, 1, "T1-1", NewChild("王小明", "321324"));
    Put("T1", 2, 2, "T1-2", NewChild("李小红", "321324"));
  }
  void TearDown() override {
    SetLanguage(saved_language_);
    ServerStoreFixture::TearDown();
  }

  // The chain's entries as "action|subject|actor", in order, and their details.
  std::vector<std::string> Entries(std::vector<json>* details = nullptr) {
    return ServerStoreInternals::WithDatabase(*store_, [&](schema::Database& db) {
      std::vector<std::string> rows;
      auto st = db.Prepare("SELECT action, subject, actor, detail FROM server_audit ORDER BY id");
      EXPECT_TRUE(st.ok());
      EXPECT_TRUE(st->ForEachRow([&](const schema::Statement& r) {
                      rows.push_back(r.ColumnText(0) + "|" + r.ColumnText(1) + "|" +
                                     r.ColumnText(2));
                      if (details) details->push_back(json::parse(r.ColumnText(3)));
                    }).ok());
      return rows;
    });
  }

  Language saved_language_ = Language::kZh;
};

TEST_F(ServerAuditTest, ReadsOfPersonalDataAndChangesAreRecordedAfterTheySucceed) {
  const std::string me = Console::OsUser();
  EXPECT_EQ(Cli({"counts", "--area", "32"}).first, 0);  // perturbed: for anyone, not audited
  EXPECT_EQ(Cli({"counts", "--area", "32", "--exact"}).first, 0);
  EXPECT_EQ(Cli({"history", "--child", "T1-1"}).first, 0);
  EXPECT_NE(Cli({"erase", "--child", "T9-9", "--reason", "order"}).first, 0);  // no such child
  EXPECT_EQ(Cli({"erase", "--child", "T1-2", "--reason", "order", "--user", "zhao"}).first, 0);
  EXPECT_EQ(Cli({"retention"}).first, 0);  // shows the setting
  EXPECT_EQ(Cli({"review", "log"}).first, 0);
  std::vector<json> details;
  EXPECT_EQ(Entries(&details),
            (std::vector<std::string>{"counts|32|" + me, "history|T1-1|" + me, "erase|T1-2|" + me,
                                      "retention||" + me, "review log||" + me}));
  ASSERT_EQ(details.size(), 5u);
  EXPECT_EQ(details[0], (json{{"--area", "32"}, {"--exact", true}}));
  EXPECT_EQ(details[2], (json{{"--child", "T1-2"}, {"--reason", "order"}, {"--user", "zhao"}}));

  auto [code, out] = Cli({"--json", "audit", "verify"});
  EXPECT_EQ(code, 0) << out;
  const json report = json::parse(out);
  EXPECT_EQ(report["server"], (json{{"entries", 5}, {"intact", true}}));
  EXPECT_EQ(report["intact"], true);
}

TEST_F(ServerAuditTest, AnAlteredOrRemovedEntryIsFound) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Cli({"history", "--child", "T1-1"}).first, 0);
  // Someone with the store's key rewrites who read the record.
  ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
    ASSERT_TRUE(db.Exec("DROP TRIGGER server_audit_no_update").ok());
    ASSERT_TRUE(db.Exec("UPDATE server_audit SET actor = 'nobody' WHERE id = 2").ok());
  });
  auto [code, out] = Cli({"audit", "verify"});
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("the server's audit chain: audit entry 2 was altered\n"), std::string::npos)
      << out;
  auto report = store_->VerifyServerAudit();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_bad_id, 2);
  EXPECT_EQ(report->problem, "audit entry 2 was altered");
  // Or removes the last entry (the head remembers it).
  ServerStoreInternals::WithDatabase(*store_, [](schema::Database& db) {
    ASSERT_TRUE(db.Exec("DROP TRIGGER server_audit_no_delete").ok());
    ASSERT_TRUE(db.Exec("UPDATE server_audit SET actor = (SELECT actor FROM server_audit WHERE "
                        "id = 1) WHERE id = 2")
                    .ok());
    ASSERT_TRUE(db.Exec("DELETE FROM server_audit WHERE id = 3").ok());
  });
  report = store_->VerifyServerAudit();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->problem, "entries were removed from the end of the audit log");
}

}  // namespace
}  // namespace onecard::server
