// Upgrading a terminal store made by schema version 1 (the walking skeleton) to the current
// version: no row is lost and the projection tables are filled from each child's state, exactly as
// the program itself writes them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "child_projection.h"
#include "onecard/platform/clock.h"
#include "onecard/protocol/child_state.h"
#include "onecard/schema/migrations.h"
#include "onecard/terminal/audit_log.h"
#include "onecard/terminal/store_keys.h"
#include "onecard/terminal/terminal_store.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using schema::Database;
using schema::Statement;

constexpr char kPass[] = "passphrase-1234";

json FullRecord() {
  return {
      {"name", "王小明"},
      {"sex", "M"},
      {"birth_date", "2016-03-15"},
      {"id_number", "32132420160315123X"},
      {"hukou_area", "321324"},
      {"residence_area", "321324"},
      {"category", "left_behind"},
      {"guardians",
       json::array(
           {{{"name", "王建国"},
             {"relation", "father"},
             {"phone", "13812345678"},
             {"residence_area", "440306"}},
            {{"name", "刘桂英"}, {"relation", "grandparent"}, {"residence_area", "321324"}}})},
      {"caregiver", {{"name", "刘桂英"}, {"relation", "grandparent"}, {"phone", "13912345678"}}},
      {"school", {{"name", "泗洪县第一实验小学"}, {"grade", 4}, {"status", "enrolled"}}},
      {"immunizations", json::array({{{"vaccine", "HepB"}, {"dose", 1}, {"date", "2016-03-15"}},
                                     {{"vaccine", "BCG"}, {"dose", 1}, {"date", "2016-03-16"}},
                                     {{"vaccine", "HepB"}, {"dose", 2}, {"date", "2016-04-15"}}})},
      {"consent", {{"by", "王建国"}, {"relation", "father"}, {"date", "2026-11-01"}}}};
}

json MinimalRecord() {
  return {{"name", "李娜"},
          {"sex", "F"},
          {"birth_date", "2019-07-01"},
          {"hukou_area", "321324"},
          {"residence_area", "440306"},
          {"category", "migrant"},
          {"consent", {{"by", "李强"}, {"relation", "father"}, {"date", "2026-10-01"}}}};
}

int64_t Count(Database& db, const std::string& sql) {
  auto st = db.Prepare(sql);
  EXPECT_TRUE(st.ok()) << sql;
  if (!st.ok()) return -1;
  auto row = st->Step();
  EXPECT_TRUE(row.ok() && *row) << sql;
  return st->ColumnInt(0);
}

// Every row of the projection tables and columns, as text, in a fixed order.
std::string ProjectionDump(Database& db) {
  std::string out;
  const char* queries[] = {
      "SELECT child_id, sex, birth_date, hukou_area, residence_area, category, card_serial FROM "
      "children ORDER BY child_id",
      "SELECT * FROM child_guardians ORDER BY child_id, position",
      "SELECT * FROM child_caregivers ORDER BY child_id",
      "SELECT * FROM child_schooling ORDER BY child_id",
      "SELECT * FROM child_immunizations ORDER BY child_id, vaccine, dose",
      "SELECT * FROM child_consents ORDER BY child_id"};
  for (const char* q : queries) {
    auto st = db.Prepare(std::string("SELECT quote(json_array(*)) FROM (") + q + ")");
    EXPECT_TRUE(st.ok()) << q;
    while (st.ok()) {
      auto row = st->Step();
      if (!row.ok() || !*row) break;
      out += st->ColumnText(0) + "\n";
    }
    out += "--\n";
  }
  return out;
}

// The storage form of `s` as version 1 wrote it: immunizations as one field holding the whole list
// (protocol/docs/merge.md, section 6). `s` holds its doses from one change, as version 1 did.
json VersionOneState(const ChildState& s) {
  json j = s.ToJson();
  if (j.contains("doses")) {
    json stamp = j["doses"]["live"].at(0)["s"];
    j["fields"]["immunizations"] = {{"v", s.Record()["immunizations"]}, {"s", stamp}};
    j.erase("doses");
  }
  return j;
}

class TerminalMigration : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        (std::filesystem::temp_directory_path() / ("onecard-migrate-" + std::to_string(::getpid())))
            .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A store as version 1 of the program left it: meta, staff, three children (one with a field
  // later removed), their outbox events and audit entries.
  void MakeVersionOneStore() {
    auto key = StoreKeys::Create(dir_, "chen", kPass);
    ASSERT_TRUE(key.ok()) << key.status().message();
    auto db = Database::Open(dir_ + "/terminal.db", *key, true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE(schema::Migrate(*db, schema::TerminalMigrationFiles(), 1).ok());
    ASSERT_EQ(*schema::SchemaVersion(*db), 1);
    ASSERT_TRUE(db->Exec("INSERT INTO meta(key, value) VALUES ('terminal_id', 'JS-T1'), "
                         "('site_id', 'JS-SIHONG'), ('site_area', '321324'),"
                         " ('site_name', '泗洪县青阳街道登记点'), ('next_seq', '5'), "
                         "('next_child_number', '4'), ('hlc', '400'),"
                         " ('pull_cursor', '0');"
                         "INSERT INTO staff(name, role, created_at) VALUES ('chen', 'supervisor', "
                         "'2026-11-01T00:00:00Z'),"
                         " ('li', 'registrar', '2026-11-01T00:00:00Z');")
                    .ok());
    std::vector<ChildState> states;
    states.emplace_back("JS-T1-1");
    states.back().Apply(FullRecord(), Stamp{100, "JS-T1", 1});
    states.emplace_back("JS-T1-2");
    states.back().Apply(MinimalRecord(), Stamp{200, "JS-T1", 2});
    states.emplace_back("JS-T1-3");
    json third = FullRecord();
    third["name"] = "张三";
    third.erase("id_number");
    states.back().Apply(third, Stamp{300, "JS-T1", 3});
    states.back().Apply({{"school", nullptr}}, Stamp{400, "JS-T1", 4});
    auto ins = db->Prepare(
        "INSERT INTO children(child_id, state, name, id_number, updated_at) VALUES (?, ?, ?, ?, "
        "'2026-11-01T00:00:00Z')");
    auto out = db->Prepare(
        "INSERT INTO outbox(seq, hlc, type, child_id, payload) VALUES (?, ?, 'child.upsert', ?, "
        "?)");
    ASSERT_TRUE(ins.ok() && out.ok());
    int64_t seq = 1;
    for (const ChildState& s : states) {
      json r = s.Record();
      ASSERT_TRUE(ins->Reset().ok());
      ASSERT_TRUE(ins->Bind(1, s.child_id())
                      .Bind(2, VersionOneState(s).dump())
                      .Bind(3, r.value("name", ""))
                      .Bind(4, r.value("id_number", ""))
                      .Run()
                      .ok());
      ASSERT_TRUE(out->Reset().ok());
      ASSERT_TRUE(out->Bind(1, seq)
                      .Bind(2, seq * 100)
                      .Bind(3, s.child_id())
                      .Bind(4, json{{"child_id", s.child_id()}}.dump())
                      .Run()
                      .ok());
      ASSERT_TRUE(AppendAudit(*db, platform::SystemClock(), "chen", "child.register", s.child_id(),
                              json::object())
                      .ok());
      ++seq;
    }
    ASSERT_TRUE(out->Reset().ok());
    ASSERT_TRUE(out->Bind(1, seq).Bind(2, 400).Bind(3, "JS-T1-3").Bind(4, "{}").Run().ok());
  }

  std::string dir_;
};

TEST_F(TerminalMigration, VersionOneStoreUpgradesWithoutLosingRowsAndFillsTheProjection) {
  MakeVersionOneStore();
  if (HasFatalFailure()) return;
  {
    auto store = TerminalStore::Open(dir_, "chen", kPass);
    ASSERT_TRUE(store.ok()) << store.status().message();
    auto shown = (*store)->children().Show("JS-T1-1");
    ASSERT_TRUE(shown.ok());
    EXPECT_EQ((*shown)["guardians"].size(), 2u);
    auto report = (*store)->audit().Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_TRUE(report->intact) << report->problem;
    EXPECT_EQ(report->entries, 4);  // three registrations and the read above
  }
  auto key = StoreKeys::Unlock(dir_, "chen", kPass);
  ASSERT_TRUE(key.ok());
  auto db = Database::Open(dir_ + "/terminal.db", *key, false);
  ASSERT_TRUE(db.ok());
  // Files are sorted by name, "NNN_topic.sql": the last one has the highest number.
  const int newest =
      std::stoi(std::string(schema::TerminalMigrationFiles().back().first.substr(0, 3)));
  EXPECT_EQ(*schema::SchemaVersion(*db), newest);

  // No row lost (children, outbox, staff, meta), and the projection is filled from the state.
  const struct {
    const char* sql;
    int64_t rows;
  } expected[] = {
      {"SELECT count(*) FROM children", 3},
      {"SELECT count(*) FROM outbox", 4},
      {"SELECT count(*) FROM staff", 2},
      {"SELECT count(*) FROM meta WHERE key IN ('next_seq', 'next_child_number', 'hlc', "
       "'terminal_id')",
       4},
      {"SELECT count(*) FROM children WHERE sex IS NOT NULL AND birth_date IS NOT NULL AND "
       "hukou_area IS NOT NULL AND residence_area IS NOT NULL AND category IS NOT NULL",
       3},
      {"SELECT count(*) FROM child_guardians", 4},
      {"SELECT count(*) FROM child_guardians WHERE child_id = 'JS-T1-1' AND position = 0 AND "
       "relation = 'father' AND phone = '13812345678'",
       1},
      {"SELECT count(*) FROM child_caregivers", 2},
      {"SELECT count(*) FROM child_schooling", 1},  // JS-T1-3's school was removed
      {"SELECT count(*) FROM child_schooling WHERE grade = 4 AND status = 'enrolled'", 1},
      {"SELECT count(*) FROM child_immunizations", 6},
      {"SELECT count(*) FROM child_immunizations WHERE child_id = 'JS-T1-1' AND vaccine = 'HepB' "
       "AND dose = 2 AND date = '2016-04-15'",
       1},
      {"SELECT count(*) FROM child_consents", 3},
      {"SELECT count(*) FROM sites WHERE site_id = 'JS-SIHONG' AND is_own = 1 AND area = '321324'",
       1},
  };
  for (const auto& e : expected) EXPECT_EQ(Count(*db, e.sql), e.rows) << e.sql;

  // The backfill wrote what the program writes for the same records.
  std::string backfilled = ProjectionDump(*db);
  auto st = db->Prepare("SELECT child_id, state FROM children ORDER BY child_id");
  ASSERT_TRUE(st.ok());
  std::vector<std::pair<std::string, json>> records;
  while (*st->Step()) {
    auto state = ChildState::FromJson(json::parse(st->ColumnText(1)));
    ASSERT_TRUE(state.ok());
    records.emplace_back(st->ColumnText(0), state->Record());
  }
  for (const auto& [id, record] : records) ASSERT_TRUE(WriteChildProjection(*db, id, record).ok());
  EXPECT_EQ(ProjectionDump(*db), backfilled);
}

TEST_F(TerminalMigration, ProjectionFollowsEveryChange) {
  auto key = StoreKeys::Create(dir_, "chen", kPass);
  ASSERT_TRUE(key.ok());
  auto db = Database::Open(dir_ + "/terminal.db", *key, true);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(schema::Migrate(*db, schema::TerminalMigrationFiles()).ok());
  ASSERT_TRUE(
      db->Exec("INSERT INTO children(child_id, state, updated_at) VALUES ('T-1', '{}', 'x')").ok());
  ASSERT_TRUE(WriteChildProjection(*db, "T-1", FullRecord()).ok());
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM child_guardians WHERE child_id = 'T-1'"), 2);
  json fewer = FullRecord();
  fewer["guardians"].erase(1);
  fewer.erase("school");
  fewer["immunizations"] =
      json::array({{{"vaccine", "BCG"}, {"dose", 1}, {"date", "2016-03-16"}}, "not an object"});
  fewer["card_serial"] = "00112233";
  ASSERT_TRUE(WriteChildProjection(*db, "T-1", fewer).ok());
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM child_guardians WHERE child_id = 'T-1'"), 1);
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM child_schooling WHERE child_id = 'T-1'"), 0);
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM child_immunizations WHERE child_id = 'T-1'"), 1);
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM children WHERE card_serial = '00112233'"), 1);
  // Odd types (a record from a foreign card) are stored as NULL, never refused.
  json odd = FullRecord();
  odd["sex"] = 7;
  odd["guardians"] = json::array({{{"name", json::array()}, {"relation", "father"}}});
  ASSERT_TRUE(WriteChildProjection(*db, "T-1", odd).ok());
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM children WHERE child_id = 'T-1' AND sex = 7"), 1);
  EXPECT_EQ(
      Count(*db, "SELECT count(*) FROM child_guardians WHERE child_id = 'T-1' AND name IS NULL"),
      1);
}

}  // namespace
}  // namespace onecard::terminal
