// Stores made by an older server, opened by this one: the migrations of the server schema
// (schema/sql/server/) that fill in what older versions did not keep. Each case makes a database
// at an older version, writes rows as that version did, migrates it to the current schema and
// reads what the migration added.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../../tests/support/scratch_database.h"
#include "onecard/schema/migrations.h"

namespace onecard::server {
namespace {

struct MigrationCase {
  const char* name;
  int version;        // the schema the store was made at
  const char* rows;   // written at that version
  const char* query;  // after migrating: one text column
  std::vector<std::string> expected;
};

class ServerMigrationTest : public ::testing::TestWithParam<MigrationCase> {};

TEST_P(ServerMigrationTest, FillsInWhatTheOlderVersionDidNotKeep) {
  const MigrationCase& c = GetParam();
  testing::ScratchDatabase scratch(std::string("srvmig-") + c.name);
  {
    auto old = scratch.CreateAt(schema::ServerMigrationFiles(), c.version);
    ASSERT_TRUE(old.ok()) << old.status().message();
    Status written = old->Exec(c.rows);
    ASSERT_TRUE(written.ok()) << written.message();
  }
  auto db = scratch.Reopen();
  ASSERT_TRUE(db.ok()) << db.status().message();
  Status migrated = schema::Migrate(*db, schema::ServerMigrationFiles());
  ASSERT_TRUE(migrated.ok()) << migrated.message();
  auto st = db->Prepare(c.query);
  ASSERT_TRUE(st.ok()) << st.status().message();
  auto texts = st->FirstColumnTexts();
  ASSERT_TRUE(texts.ok()) << texts.status().message();
  EXPECT_EQ(*texts, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Versions, ServerMigrationTest,
    ::testing::Values(
        // A terminal revoked at version 1 is listed by migration 2, numbered after every child.
        MigrationCase{
            "RevokedTerminalsBackfilled",
            1,
            "INSERT INTO sites VALUES ('JS', 'x', '321324', 'sending', '2026-01-01T00:00:00Z');"
            "INSERT INTO terminals VALUES ('T1', 'JS', '2026-01-01T00:00:00Z', "
            "'2026-02-01T00:00:00Z', 0);"
            "INSERT INTO terminals VALUES ('T2', 'JS', '2026-01-01T00:00:00Z', NULL, 0);"
            "INSERT INTO children(child_id, state, change_seq) VALUES ('T1-1', '{}', 41);",
            "SELECT change_seq || ' ' || kind || ' ' || subject || ' ' || revoked_at_ms "
            "FROM revocations",
            {"42 terminal T1 1769904000000"}},  // revoked 2026-02-01T00:00:00Z
        // Sites added before version 4 are numbered after every change so far, so terminals that
        // already pulled everything still receive the site directory once.
        MigrationCase{
            "SitesNumberedAfterEveryChange",
            2,
            "INSERT INTO sites VALUES ('JS', 'x', '321324', 'sending', '2026-01-01T00:00:00Z');"
            "INSERT INTO sites VALUES ('GD', 'y', '440306', 'receiving', '2026-01-01T00:00:00Z');"
            "INSERT INTO children(child_id, state, change_seq) VALUES ('T1-1', '{}', 41);"
            "INSERT INTO revocations(change_seq, kind, subject, revoked_at_ms) VALUES (45, "
            "'card', '0A1B2C3D4E5F6071', 1);",
            "SELECT site_id || ' ' || change_seq FROM sites ORDER BY change_seq",
            {"GD 46", "JS 47"}},
        // Moves stored before version 15 are found in the events: each upsert whose residence
        // differs from the one before it (in stamp order, whatever order they arrived in), dated
        // in China; keyed when the store is opened (moves.h).
        MigrationCase{
            "MovesBackfilledFromTheEvents",
            12,
            "INSERT INTO events VALUES ('T1', 1, 115840018022400000, 'child.upsert', 'T1-1', "
            "'{\"fields\":{\"residence_area\":\"321324\",\"name\":\"x\"}}', 'r');"
            "INSERT INTO events VALUES ('T1', 3, 116150029516800000, 'child.upsert', 'T1-1', "
            "'{\"fields\":{\"residence_area\":\"440306\"}}', 'r');"
            "INSERT INTO events VALUES ('T1', 2, 115840018022400001, 'child.upsert', 'T1-1', "
            "'{\"fields\":{\"residence_area\":\"321324\"}}', 'r');"
            "INSERT INTO events VALUES ('T1', 4, 116150029516800003, 'child.upsert', 'T1-1', "
            "'not json', 'r');"
            "INSERT INTO events VALUES ('T1', 5, 116150029516800004, 'child.upsert', 'T1-2', "
            "'{\"fields\":{\"residence_area\":\"321324\"}}', 'r');",
            "SELECT child_id || ' ' || terminal_id || ':' || seq || ' ' || from_area || ' ' || "
            "to_area || ' ' || moved_at || ' ' || moved_on || ' ' || coalesce(move_key, 'unkeyed') "
            "FROM moves",
            {"T1-1 T1:3 321324 440306 2026-02-28T20:00:00Z 2026-03-01 unkeyed"}},
        // Migration 14: a decline stored before the codes is "other"; each referral's changed_at
        // is when the event that made it what it is (create, or the winning change) was received,
        // "" when that event is not stored.
        MigrationCase{
            "DeclinesAreOtherAndChangesDated",
            12,
            "INSERT INTO sites(site_id, name, area, role, created_at) VALUES ('GD', 'x', "
            "'440306', 'both', '2026-01-01T00:00:00Z');"
            "INSERT INTO events(terminal_id, seq, hlc, type, child_id, payload, received_at) "
            "VALUES ('T1', 1, 1, 'referral.create', 'T1-1', '{}', '2026-03-01T00:00:00Z'), "
            "('T1', 2, 5, 'referral.status', 'T1-1', '{}', '2026-03-02T00:00:00Z');"
            "INSERT INTO referrals(referral_id, child_id, service, from_site, to_site, reason, "
            "created_hlc, status, outcome, status_hlc, status_terminal, status_seq, change_seq) "
            "VALUES ('T1-R1', 'T1-1', 'health', 'GD', 'GD', 'x', 1, 'declined', '', 5, 'T1', 2, "
            "10), ('T1-R2', 'T1-1', 'health', 'GD', 'GD', 'x', 1, 'open', '', 1, 'T1', 1, 11), "
            "('T1-R3', 'T1-1', 'health', 'GD', 'GD', 'x', 1, 'completed', '', 9, 'T9', 7, 12);",
            "SELECT referral_id || ' ' || decline_reason || ' ' || changed_at FROM referrals "
            "ORDER BY referral_id",
            {"T1-R1 other 2026-03-02T00:00:00Z", "T1-R2  2026-03-01T00:00:00Z", "T1-R3  "}},
        // Migration 18: the identity records keep their fields and get numbers, all of them to be
        // indexed; the grouping is out of date until they are, and the copy resumes where it was.
        MigrationCase{
            "IdentityRecordsNumberedAndToBeIndexed",
            17,
            "INSERT INTO identity_records VALUES ('T2-1', 7, 70, '{\"name\":\"b\"}'), "
            "('T1-1', 5, 50, '{\"name\":\"a\"}');"
            "INSERT INTO identity_refresh(id, through_seq, refreshed_at, seconds, records) "
            "VALUES (1, 9, '2026-01-01T00:00:00Z', 0.5, 2);",
            "SELECT rec || ' ' || child_id || ' ' || change_seq || ' ' || fields || ' ' || dirty "
            "|| ' ' || coalesce(keys, 'none') FROM identity_records UNION ALL SELECT "
            "through_seq || ' ' || copied_seq || ' ' || decisions_through FROM identity_refresh",
            {"1 T1-1 5 {\"name\":\"a\"} 1 none", "2 T2-1 7 {\"name\":\"b\"} 1 none", "-1 7 0"}}),
    [](const ::testing::TestParamInfo<MigrationCase>& param_info) {
      return param_info.param.name;
    });

}  // namespace
}  // namespace onecard::server
