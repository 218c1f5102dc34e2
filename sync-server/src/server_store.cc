#include "onecard/server/server_store.h"

#include "onecard/platform/file_io.h"
#include "onecard/protocol/child_state.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/schema/meta_table.h"
#include "onecard/schema/migrations.h"
#include "record_key.h"
#include "stats_cube.h"

namespace onecard::server {
namespace {

using schema::Database;
using schema::Statement;
using schema::Transaction;

constexpr char kKeyFile[] = "/store.key";
constexpr char kDbFile[] = "/server.db";

// Reads store.key: 64 hex characters.
Result<SecretBytes> LoadStoreKey(const std::string& dir) {
  ASSIGN_OR_RETURN(std::string hex, platform::ReadWholeFile(dir + kKeyFile));
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == ' ')) hex.pop_back();
  auto bytes = HexDecode(hex);
  WipeString(hex);
  if (!bytes.ok() || bytes->size() != 32) {
    return Status(ErrorCode::kCorruption,
                  Tr("密钥文件损坏：" + dir + kKeyFile, "damaged key file: " + dir + kKeyFile));
  }
  return SecretBytes(std::move(bytes).value());
}

// The server store is one long-lived connection taking every terminal's pushes: a 64 MiB page
// cache (SQLite's default is 2 MiB) keeps the indexes of events and children decrypted in memory,
// so that ingest does not decrypt the same B-tree pages again for every event (SQLCipher decrypts
// each page read from the file; docs/performance.md, "Sync").
Status UseLargePageCache(Database& db) { return db.Exec("PRAGMA cache_size = -65536;"); }

}  // namespace

ServerStore::ServerStore(Database db, const platform::Clock& clock)
    : clock_(&clock), db_(std::move(db)), stats_delta_(std::make_unique<StatsDelta>()) {}

ServerStore::~ServerStore() = default;

Result<std::unique_ptr<ServerStore>> ServerStore::Create(const std::string& data_dir,
                                                         const platform::Clock& clock) {
  if (platform::FileExists(data_dir + kDbFile)) {
    return Status(ErrorCode::kAlreadyExists, Tr("该目录已有服务器数据：" + data_dir,
                                                "a server store already exists in " + data_dir));
  }
  RETURN_IF_ERROR(platform::EnsurePrivateDirectory(data_dir));
  SecretBytes key = RandomSecret(32);
  std::string hex = HexEncode(key.span()) + "\n";
  Status written = platform::WriteFileAtomically(data_dir + kKeyFile, hex, 0600);
  WipeString(hex);
  RETURN_IF_ERROR(written);
  ASSIGN_OR_RETURN(Database db, Database::Open(data_dir + kDbFile, key, /*create=*/true));
  RETURN_IF_ERROR(schema::Migrate(db, schema::ServerMigrationFiles()));
  RETURN_IF_ERROR(UseLargePageCache(db));
  std::unique_ptr<ServerStore> store(new ServerStore(std::move(db), clock));
  RETURN_IF_ERROR(store->CellKeySecretLocked().status());  // made with the store
  return store;
}

Result<std::unique_ptr<ServerStore>> ServerStore::Open(const std::string& data_dir,
                                                       const platform::Clock& clock) {
  if (!platform::FileExists(data_dir + kDbFile)) {
    return Status(ErrorCode::kFailedPrecondition,
                  Tr(data_dir + " 中没有服务器数据，请先运行 onecard-server init",
                     "no server store in " + data_dir + "; run onecard-server init first"));
  }
  ASSIGN_OR_RETURN(SecretBytes key, LoadStoreKey(data_dir));
  ASSIGN_OR_RETURN(Database db, Database::Open(data_dir + kDbFile, key, /*create=*/false));
  RETURN_IF_ERROR(schema::Migrate(db, schema::ServerMigrationFiles()));
  RETURN_IF_ERROR(UseLargePageCache(db));
  std::unique_ptr<ServerStore> store(new ServerStore(std::move(db), clock));
  // A store from before version 12: its secret is made and its children keyed now; from before
  // version 13: its children profiled for the statistics; from before 15: the moves the migration
  // found in its events keyed.
  RETURN_IF_ERROR(store->BringStatsLocked().status());
  RETURN_IF_ERROR(store->KeyMovesLocked());
  return store;
}

Status ServerStore::SetMetaLocked(const std::string& key, const std::string& value) {
  return schema::WriteMeta(db_, key, value);
}

Status ServerStore::SetMeta(const std::string& key, const std::string& value) {
  std::lock_guard lock(mu_);
  return SetMetaLocked(key, value);
}

Result<std::string> ServerStore::GetMeta(const std::string& key) {
  std::lock_guard lock(mu_);
  return GetMetaLocked(key);
}

Result<std::string> ServerStore::GetMetaLocked(const std::string& key) {
  return schema::ReadSetMeta(db_, key);
}

Status ServerStore::SetSecret(const std::string& name, const SecretBytes& value) {
  std::lock_guard lock(mu_);
  if (name == kCellKeySecretName) RETURN_IF_ERROR(CheckCellKeySecretChangeLocked());
  ASSIGN_OR_RETURN(Statement st,
                   db_.Prepare("INSERT INTO secrets(name, value) VALUES (?, ?) "
                               "ON CONFLICT(name) DO UPDATE SET value = excluded.value"));
  return st.Bind(1, name).Bind(2, value.span()).Run();
}

Result<SecretBytes> ServerStore::GetSecret(const std::string& name) {
  std::lock_guard lock(mu_);
  return GetSecretLocked(name);
}

Result<SecretBytes> ServerStore::GetSecretLocked(const std::string& name) {
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT value FROM secrets WHERE name = ?"));
  st.Bind(1, name);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status(ErrorCode::kNotFound, Tr("缺少密钥 " + name, "missing secret " + name));
  return SecretBytes(st.ColumnBlob(0));
}

Status ServerStore::AddSite(const Site& site) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  // Sites go to every terminal in pull pages, numbered in the change sequence.
  ASSIGN_OR_RETURN(int64_t change_seq, NextChangeSeqLocked());
  ASSIGN_OR_RETURN(Statement st, db_.Prepare("INSERT INTO sites(site_id, name, area, role, "
                                             "created_at, change_seq) VALUES (?, ?, ?, ?, ?, ?)"));
  Status s = st.Bind(1, site.site_id)
                 .Bind(2, site.name)
                 .Bind(3, site.area)
                 .Bind(4, site.role)
                 .Bind(5, UtcNowIso8601(*clock_))
                 .Bind(6, change_seq)
                 .Run();
  if (s.code() == ErrorCode::kAlreadyExists) {
    return Status(ErrorCode::kAlreadyExists, Tr("站点 " + site.site_id + " 已存在",
                                                "site " + site.site_id + " already exists"));
  }
  RETURN_IF_ERROR(s);
  return tx.Commit();
}

Result<Site> ServerStore::FindSite(const std::string& site_id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement st,
                   db_.Prepare("SELECT site_id, name, area, role FROM sites WHERE site_id = ?"));
  st.Bind(1, site_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status(ErrorCode::kNotFound, Tr("没有站点 " + site_id, "no site " + site_id));
  return Site{st.ColumnText(0), st.ColumnText(1), st.ColumnText(2), st.ColumnText(3)};
}

Status ServerStore::AddTerminal(const std::string& terminal_id, const std::string& site_id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(
      Statement st,
      db_.Prepare("INSERT INTO terminals(terminal_id, site_id, enrolled_at) VALUES (?, ?, ?)"));
  Status s = st.Bind(1, terminal_id).Bind(2, site_id).Bind(3, UtcNowIso8601(*clock_)).Run();
  if (s.code() == ErrorCode::kAlreadyExists) {
    return Status(
        ErrorCode::kAlreadyExists,
        Tr("终端 " + terminal_id + " 已注册（终端编号不能重复使用）",
           "terminal " + terminal_id + " is already enrolled (terminal ids are never reused)"));
  }
  return s;
}

Status ServerStore::RevokeTerminal(const std::string& terminal_id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
  ASSIGN_OR_RETURN(
      Statement st,
      db_.Prepare(
          "UPDATE terminals SET revoked_at = coalesce(revoked_at, ?) WHERE terminal_id = ?"));
  RETURN_IF_ERROR(st.Bind(1, UtcNowIso8601(*clock_)).Bind(2, terminal_id).Run());
  if (db_.Changes() == 0)
    return Status(ErrorCode::kNotFound,
                  Tr("没有终端 " + terminal_id, "no terminal " + terminal_id));
  RETURN_IF_ERROR(RecordTerminalRevocationLocked(terminal_id));
  return tx.Commit();
}

Result<TerminalInfo> ServerStore::FindTerminal(const std::string& terminal_id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(
      Statement st,
      db_.Prepare(
          "SELECT t.terminal_id, t.site_id, s.area, t.revoked_at IS NOT NULL FROM terminals t "
          "JOIN sites s ON s.site_id = t.site_id WHERE t.terminal_id = ?"));
  st.Bind(1, terminal_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row)
    return Status(ErrorCode::kNotFound,
                  Tr("没有终端 " + terminal_id, "no terminal " + terminal_id));
  return TerminalInfo{st.ColumnText(0), st.ColumnText(1), st.ColumnText(2), st.ColumnInt(3) != 0};
}

Result<std::vector<std::string>> ServerStore::RevokedTerminalIds() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement st,
                   db_.Prepare("SELECT terminal_id FROM terminals WHERE revoked_at IS NOT NULL"));
  return st.FirstColumnTexts();
}

// Ingest and IngestGroup: server_ingest.cc.

// Pull: server_pull.cc.

}  // namespace onecard::server
