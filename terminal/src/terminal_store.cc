#include "onecard/terminal/terminal_store.h"

#include <cstdio>

#include "child_projection.h"
#include "child_search.h"
#include "enrolment_bundle.h"
#include "onecard/platform/file_io.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/schema/meta_table.h"
#include "onecard/schema/migrations.h"
#include "onecard/terminal/audit_log.h"
#include "onecard/terminal/store_keys.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using schema::Database;
using schema::Statement;
using schema::Transaction;

constexpr char kDbFile[] = "/terminal.db";

Status ValidUser(const std::string& user) {
  if (user.empty() || user.size() > 64 || user.find_first_of("\n\r\t") != std::string::npos) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("工作人员用户名无效（请用 --user 或 ONECARD_USER 给出 1–64 个字符）",
                     "invalid staff user name (give 1–64 characters with --user or ONECARD_USER)"));
  }
  return Status::Ok();
}

Status ValidPassphrase(const std::string& passphrase) {
  if (passphrase.size() < 8) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("口令至少需要 8 个字符", "the passphrase must have at least 8 characters"));
  }
  return Status::Ok();
}

// Makes `user` the first supervisor, writes the own site and audits the initialisation.
Status WriteFirstSupervisorAndSite(Database& db, const EnrolmentBundle& b, const std::string& user,
                                   const platform::Clock& clock) {
  ASSIGN_OR_RETURN(
      Statement staff,
      db.Prepare("INSERT INTO staff(name, role, created_at) VALUES (?, 'supervisor', ?)"));
  RETURN_IF_ERROR(staff.Bind(1, user).Bind(2, UtcNowIso8601(clock)).Run());
  RETURN_IF_ERROR(WriteOwnSite(db, *b.site, UtcNowIso8601(clock)));
  return AppendAudit(db, clock, user, "terminal.init", "",
                     {{"terminal_id", b.terminal_id}, {"site_id", b.site_id}});
}

// Leaves no half-made store behind: the directory may be retried.
void RemovePartialStore(const std::string& dir) {
  std::remove((dir + kDbFile).c_str());
  std::remove((dir + kDbFile + "-wal").c_str());
  std::remove((dir + kDbFile + "-shm").c_str());
  std::remove((dir + "/keys.json").c_str());
}

}  // namespace

Status TerminalStore::Initialize(const std::string& dir, const json& bundle,
                                 const std::string& user, const std::string& passphrase,
                                 const platform::Clock& clock) {
  RETURN_IF_ERROR(ValidUser(user));
  RETURN_IF_ERROR(ValidPassphrase(passphrase));
  // Check the whole bundle before writing anything.
  ASSIGN_OR_RETURN(EnrolmentBundle b, ReadBundleFields(bundle));
  RETURN_IF_ERROR(CheckBundleKeys(bundle, b));

  RETURN_IF_ERROR(platform::EnsurePrivateDirectory(dir));
  if (platform::FileExists(dir + kDbFile)) {
    return Status(ErrorCode::kAlreadyExists,
                  Tr("该目录已有终端数据：" + dir, "a terminal store already exists in " + dir));
  }
  ASSIGN_OR_RETURN(SecretBytes key, StoreKeys::Create(dir, user, passphrase));
  auto created = [&]() -> Status {
    ASSIGN_OR_RETURN(Database db, Database::Open(dir + kDbFile, key, /*create=*/true));
    RETURN_IF_ERROR(schema::Migrate(db, schema::TerminalMigrationFiles()));
    RETURN_IF_ERROR(RefreshNameKeysIfStale(db));  // no children yet: marks the name keys current
    UnitOfWork unit(std::move(db), {dir, b.terminal_id, user, StaffRole::kSupervisor},
                    SecretBytes(), clock);
    ASSIGN_OR_RETURN(Transaction tx, unit.Begin());
    for (const auto& [k, v] : InitialMeta(bundle, b, clock)) RETURN_IF_ERROR(unit.SetMeta(k, v));
    RETURN_IF_ERROR(WriteBundleSecrets(unit.db(), bundle, b));
    RETURN_IF_ERROR(WriteFirstSupervisorAndSite(unit.db(), b, user, clock));
    return tx.Commit();
  }();
  WipeString(b.tls_key);
  WipeString(b.signing_key);
  if (!created.ok()) RemovePartialStore(dir);
  return created;
}

Result<std::unique_ptr<TerminalStore>> TerminalStore::Open(const std::string& dir,
                                                           const std::string& user,
                                                           const std::string& passphrase,
                                                           const platform::Clock& clock) {
  RETURN_IF_ERROR(ValidUser(user));
  ASSIGN_OR_RETURN(SecretBytes key, StoreKeys::Unlock(dir, user, passphrase));
  ASSIGN_OR_RETURN(Database db, Database::Open(dir + kDbFile, key, /*create=*/false));
  RETURN_IF_ERROR(schema::Migrate(db, schema::TerminalMigrationFiles()));
  RETURN_IF_ERROR(RefreshNameKeysIfStale(db));
  ASSIGN_OR_RETURN(std::optional<std::string> terminal_id, schema::ReadMeta(db, "terminal_id"));
  if (!terminal_id)
    return Status(ErrorCode::kCorruption,
                  Tr("终端数据缺少终端编号", "the terminal store has no terminal id"));
  ASSIGN_OR_RETURN(StaffRole role, LoadStaffRole(db, user));
  return std::unique_ptr<TerminalStore>(new TerminalStore(
      std::move(db), {dir, std::move(*terminal_id), user, role}, std::move(key), clock));
}

}  // namespace onecard::terminal
