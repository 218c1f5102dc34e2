// Terminals' audit chains at the server, over the real programs (issue 16; sync.md, "Audit
// chain"): a terminal pushes its chain with sync, and `onecard-server audit verify` reports every
// enrolled terminal's chain, intact or with the first problem naming the terminal and the entry.
// Tampering is done as an attacker holding the terminal's store key would: the store opened with
// it, the append-only triggers dropped, rows changed. No card reader is needed.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "deployment_fixtures.h"
#include "onecard/protocol/audit_chain.h"
#include "onecard/schema/database.h"
#include "onecard/terminal/store_keys.h"
#include "onecard/testing/registration.h"

namespace onecard::testing {
namespace {

using nlohmann::json;

// The terminal's store, opened with its key as someone who got hold of a passphrase would.
schema::Database OpenWithKey(const std::string& data_dir, const std::string& user) {
  auto key = terminal::StoreKeys::Unlock(data_dir, user, Deployment::kPassphrase);
  EXPECT_TRUE(key.ok()) << key.status().message();
  auto db = schema::Database::Open(data_dir + "/terminal.db", *key, false);
  EXPECT_TRUE(db.ok()) << db.status().message();
  return std::move(db).value();
}

void Exec(schema::Database& db, const std::string& sql) {
  Status s = db.Exec(sql);
  ASSERT_TRUE(s.ok()) << sql << ": " << s.message();
}

// Hashes the whole chain again from entry 1, and its head, as a careful attacker would after
// changing an entry, so that the terminal's own `audit verify` finds nothing.
void RehashChain(schema::Database& db) {
  auto st = db.Prepare(
      "SELECT id, at, actor, action, coalesce(child_id, ''), detail FROM audit ORDER BY id");
  ASSERT_TRUE(st.ok());
  std::string prev = kAuditGenesisHash;
  int64_t count = 0;
  std::vector<std::pair<int64_t, std::pair<std::string, std::string>>> rows;
  while (*st->Step()) {
    AuditChainEntry e{st->ColumnInt(0),  st->ColumnText(1), st->ColumnText(2),
                      st->ColumnText(3), st->ColumnText(4), st->ColumnText(5)};
    std::string hash = AuditEntryHash(prev, e);
    rows.push_back({e.id, {prev, hash}});
    prev = hash;
    count = e.id;
  }
  for (const auto& [id, hashes] : rows) {
    Exec(db, "UPDATE audit SET prev_hash = '" + hashes.first + "', hash = '" + hashes.second +
                 "' WHERE id = " + std::to_string(id));
  }
  Exec(db, "UPDATE meta SET value = '" + json{{"hash", prev}, {"count", count}}.dump() +
               "' WHERE key = 'audit_head'");
}

class TerminalAudit : public OneAreaTwoTerminals {
 protected:
  // `audit verify --json` at the server: its exit status, and its report.
  std::pair<int, json> Verify() {
    RunResult r = d_.Server({"audit", "verify", "--json"});
    return {r.exit_code, json::parse(r.out, nullptr, false)};
  }
  static json TerminalIn(const json& report, const std::string& terminal_id) {
    for (const json& t : report["terminals"]) {
      if (t["terminal_id"] == terminal_id) return t;
    }
    return json();
  }
};

TEST_F(TerminalAudit, AnUntamperedRunIsReportedIntact) {
  Register(t1_, MigrantRegistration("刘小军"));
  Sync(t1_);
  Register(t2_, MigrantRegistration("张小兰"));
  Sync(t2_);
  Sync(t1_);  // the entry of the first sync, and the new ones after it
  auto [code, report] = Verify();
  EXPECT_EQ(code, 0) << report.dump();
  EXPECT_TRUE(report["intact"].get<bool>()) << report.dump();
  json t1 = TerminalIn(report, "GD-T1");
  EXPECT_TRUE(t1["intact"].get<bool>()) << report.dump();
  EXPECT_GE(t1["entries"].get<int64_t>(), 2);
  EXPECT_EQ(t1["entries"], t1["last_id"]);
  EXPECT_TRUE(TerminalIn(report, "GD-T2")["intact"].get<bool>());
  RunResult text = d_.Server({"audit", "verify"});
  EXPECT_NE(text.out.find("GD-T1: "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("intact"), std::string::npos) << text.out;
}

// THE test, first form: an entry changed in the store before it was pushed. The terminal
// sends the entry with the hash it had; the server recomputes the hash and finds the change.
TEST_F(TerminalAudit, AnEntryTamperedBeforeThePushIsFound) {
  Register(t1_, MigrantRegistration("刘小军"));
  {
    schema::Database db = OpenWithKey(t1_, "chen");
    Exec(db, "DROP TRIGGER audit_no_update");
    Exec(db, "UPDATE audit SET actor = 'nobody' WHERE id = 1");
  }
  Sync(t1_);  // the audit problem does not fail the sync
  auto [code, report] = Verify();
  EXPECT_NE(code, 0) << report.dump();
  EXPECT_FALSE(report["intact"].get<bool>());
  json t1 = TerminalIn(report, "GD-T1");
  ASSERT_FALSE(t1["intact"].get<bool>()) << report.dump();
  EXPECT_EQ(t1["problem"]["kind"], "altered");
  EXPECT_EQ(t1["problem"]["id"], 1);
  EXPECT_TRUE(TerminalIn(report, "GD-T2")["intact"].get<bool>());
  RunResult text = d_.Server({"audit", "verify"});
  EXPECT_NE(text.exit_code, 0);
  EXPECT_NE(text.err.find("terminal GD-T1's audit entry 1 does not match its hash"),
            std::string::npos)
      << text.err;
  EXPECT_NE(d_.ServerLog().find("audit entry 1"), std::string::npos) << d_.ServerLog();
}

// Second form: an entry rewritten after it was pushed, the chain hashed again so that the
// terminal's own check passes, and the terminal made to send its chain again. Only the server,
// which kept the copy it received, can tell.
TEST_F(TerminalAudit, AnEntryRewrittenAfterThePushIsFound) {
  Register(t1_, MigrantRegistration("刘小军"));
  Sync(t1_);
  {
    schema::Database db = OpenWithKey(t1_, "chen");
    Exec(db, "DROP TRIGGER audit_no_update");
    Exec(db, "UPDATE audit SET actor = 'nobody' WHERE id = 1");
    RehashChain(db);
    Exec(db, "UPDATE meta SET value = '0' WHERE key = 'audit_pushed'");
  }
  RunResult own = d_.Terminal(t1_, {"audit", "verify"});
  ASSERT_EQ(own.exit_code, 0) << own.err;  // the rewrite is consistent in itself
  ASSERT_EQ(Verify().first, 0);            // and nothing was sent since
  Sync(t1_);
  auto [code, report] = Verify();
  EXPECT_NE(code, 0) << report.dump();
  json t1 = TerminalIn(report, "GD-T1");
  ASSERT_FALSE(t1["intact"].get<bool>()) << report.dump();
  EXPECT_EQ(t1["problem"]["kind"], "rewritten");
  EXPECT_EQ(t1["problem"]["id"], 1);
  EXPECT_NE(t1["problem"]["message"].get<std::string>().find("GD-T1"), std::string::npos);
}

}  // namespace
}  // namespace onecard::testing
