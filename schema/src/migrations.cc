#include "onecard/schema/migrations.h"

#include <charconv>

#include "onecard/protocol/i18n.h"

namespace onecard::schema {
namespace {

// "003_referrals.sql" -> 3; -1 when the name does not start with a number.
int MigrationNumber(std::string_view name) {
  int n = -1;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), n);
  if (ec != std::errc() || ptr == name.data() || *ptr != '_') return -1;
  return n;
}

}  // namespace

Result<int> SchemaVersion(Database& db) {
  ASSIGN_OR_RETURN(Statement st, db.Prepare("PRAGMA user_version;"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  ONECARD_CHECK(row);
  return static_cast<int>(st.ColumnInt(0));
}

Status Migrate(Database& db, const MigrationFiles& files, int target_version) {
  ASSIGN_OR_RETURN(int current, SchemaVersion(db));
  int newest = 0;
  for (const auto& [name, sql] : files) {
    int n = MigrationNumber(name);
    ONECARD_CHECK(n > 0);  // a misnamed migration file is a build mistake
    newest = std::max(newest, n);
  }
  if (current > newest) {
    return Status(
        ErrorCode::kFailedPrecondition,
        Tr("数据库版本 " + std::to_string(current) + " 比本程序新（" + std::to_string(newest) +
               "），请升级程序",
           "the store has schema version " + std::to_string(current) +
               ", newer than this program's " + std::to_string(newest) + "; upgrade the program"));
  }
  for (const auto& [name, sql] : files) {
    int n = MigrationNumber(name);
    if (n <= current || (target_version > 0 && n > target_version)) continue;
    ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    RETURN_IF_ERROR(db.Exec(sql).WithContext(std::string(name)));
    RETURN_IF_ERROR(db.Exec("PRAGMA user_version = " + std::to_string(n) + ";"));
    RETURN_IF_ERROR(tx.Commit());
  }
  return Status::Ok();
}

}  // namespace onecard::schema
