#include "onecard/schema/database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "onecard/schema/meta_table.h"
#include "onecard/schema/migrations.h"
#include "onecard/schema/sqlcipher_pages.h"

namespace onecard::schema {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onecard-db-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "store.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(DatabaseTest, EncryptedFileHidesContentAndRefusesWrongKey) {
  SecretBytes key = RandomSecret(32);
  {
    auto db = Database::Open(path_, key, true);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE(db->Exec("CREATE TABLE t(x TEXT); INSERT INTO t VALUES ('王小明-secret');").ok());
  }
  std::ifstream in(path_, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find("SQLite format 3"), std::string::npos);
  EXPECT_EQ(bytes.find("secret"), std::string::npos);

  auto wrong = Database::Open(path_, RandomSecret(32), false);
  EXPECT_EQ(wrong.status().code(), ErrorCode::kUnauthenticated);

  auto again = Database::Open(path_, key, false);
  ASSERT_TRUE(again.ok());
  auto st = again->Prepare("SELECT x FROM t");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->ColumnText(0), "王小明-secret");
}

// Deleted rows leave nothing in the files once the WAL is checkpointed and truncated: every page
// of the file and the WAL, decrypted with the key, is searched (secure_delete, erasure).
TEST_F(DatabaseTest, DeletedRowsLeaveNothingInTheDecryptedPages) {
  SecretBytes key = RandomSecret(32);
  auto db = Database::Open(path_, key, true);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE(db->Exec("CREATE TABLE t(x TEXT)").ok());
  // Rows long enough to need overflow pages, and short ones, kept and deleted.
  const std::string long_kept(6000, 'k'), long_erased = "王小明" + std::string(6000, 'e');
  ASSERT_TRUE(db->Exec("INSERT INTO t VALUES ('张三丰-kept'), ('李四光-erased'), ('" + long_kept +
                       "'), ('" + long_erased + "')")
                  .ok());
  ASSERT_TRUE(db->Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  const auto layout = testing::DecryptedHeaderLayout(path_, key.span());
  EXPECT_EQ(layout.first, testing::kCipherPageSize);
  EXPECT_EQ(layout.second, testing::kCipherReserve);
  std::string plain = testing::DecryptedStoreFiles(path_, key.span());
  ASSERT_NE(plain.find("李四光-erased"), std::string::npos);  // the search sees plaintext
  // (A long value spans overflow pages, each with its own header: searched by its parts.)
  ASSERT_NE(plain.find("王小明" + std::string(100, 'e')), std::string::npos);

  ASSERT_TRUE(db->Exec("DELETE FROM t WHERE x LIKE '%erased' OR x LIKE '王小明%'").ok());
  // Before the checkpoint the WAL holds the new pages; the file still holds the old ones.
  EXPECT_NE(testing::DecryptedStoreFiles(path_, key.span()).find("李四光-erased"),
            std::string::npos);
  ASSERT_TRUE(db->Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  plain = testing::DecryptedStoreFiles(path_, key.span());
  EXPECT_NE(plain.find("张三丰-kept"), std::string::npos);
  EXPECT_NE(plain.find(std::string(1000, 'k')), std::string::npos);
  EXPECT_EQ(plain.find("李四光"), std::string::npos);
  EXPECT_EQ(plain.find("王小明"), std::string::npos);
  EXPECT_EQ(plain.find(std::string(100, 'e')), std::string::npos);
}

TEST_F(DatabaseTest, MetaKeysReadAsUnsetUntilWrittenAndTakeTheLastValue) {
  auto db = Database::Open(path_, RandomSecret(32), true);
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE(Migrate(*db, TerminalMigrationFiles()).ok());

  auto unset = ReadMeta(*db, "cursor");
  ASSERT_TRUE(unset.ok()) << unset.status().message();
  EXPECT_FALSE(unset->has_value());
  auto required = ReadSetMeta(*db, "cursor");
  EXPECT_EQ(required.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(required.status().message().find("cursor"), std::string::npos);

  ASSERT_TRUE(WriteMeta(*db, "cursor", "17").ok());
  ASSERT_TRUE(WriteMeta(*db, "cursor", "王-42").ok());
  auto value = ReadSetMeta(*db, "cursor");
  ASSERT_TRUE(value.ok()) << value.status().message();
  EXPECT_EQ(*value, "王-42");
}

TEST_F(DatabaseTest, MissingFileWithoutCreateIsNotFound) {
  EXPECT_EQ(Database::Open(path_, RandomSecret(32), false).status().code(), ErrorCode::kNotFound);
}

TEST_F(DatabaseTest, TransactionRollsBackUnlessCommitted) {
  SecretBytes key = RandomSecret(32);
  auto db = Database::Open(path_, key, true);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->Exec("CREATE TABLE t(x INTEGER);").ok());
  {
    auto tx = Transaction::Begin(*db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1);").ok());
  }
  {
    auto tx = Transaction::Begin(*db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (2);").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto st = db->Prepare("SELECT group_concat(x) FROM t");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->ColumnText(0), "2");
}

TEST_F(DatabaseTest, MigrationsApplyInOrderAndRefuseNewerStore) {
  MigrationFiles v1 = {{"001_a.sql", "CREATE TABLE a(x);"}};
  MigrationFiles v2 = {{"001_a.sql", "CREATE TABLE a(x);"},
                       {"002_b.sql", "ALTER TABLE a ADD COLUMN y; INSERT INTO a VALUES (1, 2);"}};
  SecretBytes key = RandomSecret(32);
  auto db = Database::Open(path_, key, true);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(Migrate(*db, v1).ok());
  EXPECT_EQ(*SchemaVersion(*db), 1);
  ASSERT_TRUE(db->Exec("INSERT INTO a VALUES (7);").ok());
  ASSERT_TRUE(Migrate(*db, v2).ok());
  EXPECT_EQ(*SchemaVersion(*db), 2);
  auto st = db->Prepare("SELECT count(*) FROM a");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->ColumnInt(0), 2);
  EXPECT_EQ(Migrate(*db, v1).code(), ErrorCode::kFailedPrecondition);
}

TEST_F(DatabaseTest, FailedMigrationLeavesPreviousVersion) {
  MigrationFiles files = {{"001_a.sql", "CREATE TABLE a(x);"},
                          {"002_bad.sql", "CREATE TABLE b(x); SYNTAX ERROR;"}};
  auto db = Database::Open(path_, RandomSecret(32), true);
  ASSERT_TRUE(db.ok());
  EXPECT_FALSE(Migrate(*db, files).ok());
  EXPECT_EQ(*SchemaVersion(*db), 1);
  EXPECT_FALSE(db->Exec("SELECT * FROM b").ok());
}

}  // namespace
}  // namespace onecard::schema
