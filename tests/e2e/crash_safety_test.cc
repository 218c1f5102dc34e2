// Crash safety of the terminal store (issue 4): `onecard-terminal register` runs again and again
// and is killed with SIGKILL at random moments (seeded, bounded). Afterwards the store opens, its
// audit chain verifies, every registration that printed its child_id is there, and nothing is
// half-written: each child's state, projection, outbox event and audit entry agree.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "deployment.h"
#include "onecard/protocol/child_state.h"
#include "onecard/schema/database.h"
#include "onecard/terminal/store_keys.h"
#include "process.h"
#include "synthetic_children.h"

namespace onecard::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kKills = 60;
constexpr uint32_t kSeed = 20261123;

// The one integer that `sql` returns; -1 (and a test failure) when it returns no row.
int64_t One(schema::Database& db, const std::string& sql) {
  auto st = db.Prepare(sql);
  EXPECT_TRUE(st.ok()) << sql << ": " << st.status().message();
  if (!st.ok()) return -1;
  auto row = st->Step();
  EXPECT_TRUE(row.ok() && *row) << sql;
  return (row.ok() && *row) ? st->ColumnInt(0) : -1;
}

// The first child id of this test's terminal ("GD-T1-" and digits) in a program's log, or "".
// (A hand-written scan: std::regex trips GCC 12's -Wmaybe-uninitialized in the sanitizer build.)
std::string FindChildId(const std::string& log) {
  const std::string prefix = "GD-T1-";
  for (size_t at = log.find(prefix); at != std::string::npos; at = log.find(prefix, at + 1)) {
    size_t end = at + prefix.size();
    while (end < log.size() && log[end] >= '0' && log[end] <= '9') ++end;
    if (end > at + prefix.size()) return log.substr(at, end - at);
  }
  return "";
}

TEST(CrashSafety, KillNineDuringRegistrationsLosesNothingReportedAndLeavesNothingHalfWritten) {
  Deployment d;
  ASSERT_EQ(d.Server({"init"}).exit_code, 0);
  const std::string user = "chen";
  std::string data =
      d.AddTerminal("GD-BAOAN", "宝安区登记点", "440306", "receiving", "GD-T1", user);

  RunOptions env;
  env.env = {{"ONECARD_LANG", "en"},
             {"ONECARD_PASSPHRASE", Deployment::kPassphrase},
             {"ONECARD_USER", user}};
  auto start_register = [&](int i) {
    std::string record = d.dir() / ("record-" + std::to_string(i) + ".json");
    WriteFile(record, SyntheticChildRecord(i).dump());
    return Process(
        {BuiltProgram("onecard-terminal"), "register", "--record", record, "--data", data}, env,
        d.dir() / ("register-" + std::to_string(i) + ".log"));
  };
  std::map<std::string, std::string> reported;  // child_id -> name sent

  // How long one registration takes here, to spread the kills over its whole life.
  auto t0 = Clock::now();
  {
    Process p = start_register(1000);
    ASSERT_EQ(p.Wait(std::chrono::seconds(120)), 0) << p.Log();
    const std::string id = FindChildId(p.Log());
    ASSERT_FALSE(id.empty()) << p.Log();
    reported[id] = SyntheticChildName(1000);
  }
  const auto full = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);

  std::mt19937 rng(kSeed);
  std::uniform_int_distribution<int64_t> moment(0, full.count() * 13 / 10);
  int killed_before_report = 0;
  for (int i = 0; i < kKills; ++i) {
    Process p = start_register(i);
    // Both outcomes must happen whatever the machine's speed: the first registration is killed at
    // once (before its report), the second runs to its end (reported); the others are killed at a
    // random moment (not a synchronisation: any moment is a valid test point).
    if (i == 1) {
      EXPECT_EQ(p.Wait(std::chrono::seconds(120)), 0) << p.Log();
    } else {
      if (i > 1) std::this_thread::sleep_for(std::chrono::microseconds(moment(rng)));
      ::kill(p.pid(), SIGKILL);
      p.Wait(std::chrono::seconds(30));
    }
    const std::string id = FindChildId(p.Log());
    if (!id.empty()) {
      reported[id] = SyntheticChildName(i);
    } else {
      ++killed_before_report;
    }
  }
  // Both outcomes happened, so the kills did land during registrations.
  EXPECT_GT(killed_before_report, 0);
  EXPECT_GT(reported.size(), 1u);

  // The store still works: it verifies, takes a new registration, and has every reported child.
  RunResult verify = d.Terminal(data, {"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  RunResult after =
      d.Terminal(data, {"register", "--record", "-"}, SyntheticChildRecord(2000).dump());
  ASSERT_EQ(after.exit_code, 0) << after.err;
  for (const auto& [id, name] : reported) {
    RunResult shown = d.Terminal(data, {"show", "--child", id, "--json"});
    ASSERT_EQ(shown.exit_code, 0) << id << ": " << shown.err;
    EXPECT_EQ(json::parse(shown.out)["name"], name) << id;
  }

  // Nothing half-written: read the store directly.
  auto key = terminal::StoreKeys::Unlock(data, user, Deployment::kPassphrase);
  ASSERT_TRUE(key.ok());
  auto db = schema::Database::Open(data + "/terminal.db", *key, false);
  ASSERT_TRUE(db.ok()) << db.status().message();
  auto integrity = db->Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(integrity.ok());
  ASSERT_TRUE(*integrity->Step());
  EXPECT_EQ(integrity->ColumnText(0), "ok");

  int64_t children = One(*db, "SELECT count(*) FROM children");
  EXPECT_GE(children, static_cast<int64_t>(reported.size()) + 1);
  EXPECT_EQ(One(*db, "SELECT count(*) FROM outbox"),
            children);  // one event per registration, none synced
  EXPECT_EQ(One(*db, "SELECT count(DISTINCT child_id) FROM outbox"), children);
  EXPECT_EQ(
      One(*db, "SELECT count(*) FROM outbox WHERE child_id NOT IN (SELECT child_id FROM children)"),
      0);
  EXPECT_EQ(One(*db, "SELECT count(*) FROM audit WHERE action = 'child.register'"), children);
  EXPECT_EQ(One(*db,
                "SELECT count(*) FROM audit WHERE action = 'child.register' AND child_id NOT IN "
                "(SELECT child_id FROM children)"),
            0);
  EXPECT_EQ(One(*db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'next_child_number'"),
            children + 1);
  EXPECT_EQ(One(*db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'next_seq'"),
            children + 1);
  // The projection of every child matches its state.
  EXPECT_EQ(One(*db, "SELECT count(*) FROM child_consents"), children);
  EXPECT_EQ(One(*db, "SELECT count(*) FROM child_guardians"), children);
  EXPECT_EQ(One(*db, "SELECT count(*) FROM child_immunizations"), children);
  EXPECT_EQ(One(*db, "SELECT count(*) FROM children WHERE name_pinyin IS NULL OR sex IS NULL"), 0);
  EXPECT_EQ(One(*db, "SELECT count(DISTINCT child_id) FROM child_name_keys"), children);
  auto states = db->Prepare("SELECT child_id, state, name FROM children");
  ASSERT_TRUE(states.ok());
  while (*states->Step()) {
    auto state = ChildState::FromJson(json::parse(states->ColumnText(1)));
    ASSERT_TRUE(state.ok()) << states->ColumnText(0);
    EXPECT_EQ(state->Record()["name"], states->ColumnText(2)) << states->ColumnText(0);
  }
}

}  // namespace
}  // namespace onecard::testing
