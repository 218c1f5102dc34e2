#include "onecard/schema/database.h"

#include <sqlcipher/sqlite3.h>
#include <sys/stat.h>

#include "onecard/protocol/i18n.h"

namespace onecard::schema {

Status SqliteStatus(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string msg = std::string(what) + ": " + detail;
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
      return Status(
          ErrorCode::kUnauthenticated,
          Tr("数据库无法解密（口令错误或文件不是 OneCard 数据库）",
             "the database cannot be decrypted (wrong passphrase, or not a OneCard store)"));
    case SQLITE_CORRUPT:
      return Status(ErrorCode::kCorruption, msg);
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return Status(ErrorCode::kIoError, msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status(ErrorCode::kUnavailable, msg);
    case SQLITE_CONSTRAINT:
      return Status(ErrorCode::kAlreadyExists, msg);
    case SQLITE_TOOBIG:
      return Status(ErrorCode::kResourceExhausted, msg);
    default:
      return Status(ErrorCode::kInternal, msg);
  }
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = other.db_;
    other.db_ = nullptr;
  }
  return *this;
}

Database::~Database() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Result<Database> Database::Open(const std::string& path, const SecretBytes& key, bool create) {
  ONECARD_CHECK(key.size() == 32);
  struct stat st {};
  if (!create && ::stat(path.c_str(), &st) != 0) {
    return Status(ErrorCode::kNotFound,
                  Tr("数据库文件不存在：" + path, "database file not found: " + path));
  }
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK) return SqliteStatus(raw, rc, "open " + path);
  // Raw key: x'<64 hex>' so that SQLCipher runs no KDF at open time.
  std::string pragma = "PRAGMA key = \"x'" + HexEncode(key.span()) + "'\";";
  rc = sqlite3_exec(raw, pragma.c_str(), nullptr, nullptr, nullptr);
  WipeString(pragma);
  if (rc != SQLITE_OK) return SqliteStatus(raw, rc, "key");
  sqlite3_busy_timeout(raw, 10'000);
  // The first read of the schema is where a wrong key shows (SQLITE_NOTADB).
  rc = sqlite3_exec(raw, "SELECT count(*) FROM sqlite_master;", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(raw, rc, "read " + path);
  // secure_delete: deleted content is overwritten with zeros, in pages and in freed pages, so that
  // an erased child's data is not left in the file (PRODUCT.md section 13).
  RETURN_IF_ERROR(
      db.Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
              "PRAGMA secure_delete = ON;"));
  return db;
}

Status Database::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (err != nullptr) sqlite3_free(err);
  return SqliteStatus(db_, rc, "exec");
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "prepare");
  return Statement(db_, stmt);
}

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
int Database::Changes() const { return sqlite3_changes(db_); }

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement& Statement::Bind(int index, int64_t value) {
  ONECARD_CHECK(sqlite3_bind_int64(stmt_, index, value) == SQLITE_OK);
  return *this;
}
Statement& Statement::Bind(int index, std::string_view text) {
  ONECARD_CHECK(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                                  SQLITE_TRANSIENT) == SQLITE_OK);
  return *this;
}
Statement& Statement::Bind(int index, ByteSpan blob) {
  ONECARD_CHECK(sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()),
                                  SQLITE_TRANSIENT) == SQLITE_OK);
  return *this;
}
Statement& Statement::BindNull(int index) {
  ONECARD_CHECK(sqlite3_bind_null(stmt_, index) == SQLITE_OK);
  return *this;
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(db_, rc, "step");
}

Status Statement::Run() {
  return ForEachRow([](const Statement&) {});
}

Result<std::vector<std::string>> Statement::FirstColumnTexts() {
  std::vector<std::string> texts;
  RETURN_IF_ERROR(ForEachRow([&](const Statement& row) { texts.push_back(row.ColumnText(0)); }));
  return texts;
}

Status Statement::Reset() {
  sqlite3_clear_bindings(stmt_);
  return SqliteStatus(db_, sqlite3_reset(stmt_), "reset");
}

int64_t Statement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }
std::string Statement::ColumnText(int index) const {
  const unsigned char* p = sqlite3_column_text(stmt_, index);
  int n = sqlite3_column_bytes(stmt_, index);
  return p == nullptr ? std::string()
                      : std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
}
Bytes Statement::ColumnBlob(int index) const {
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, index));
  int n = sqlite3_column_bytes(stmt_, index);
  return p == nullptr ? Bytes() : Bytes(p, p + n);
}
std::span<const uint8_t> Statement::ColumnBlobView(int index) const {
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, index));
  const int n = sqlite3_column_bytes(stmt_, index);
  return p == nullptr ? std::span<const uint8_t>() : std::span<const uint8_t>(p, size_t(n));
}
int Statement::ColumnCount() const { return sqlite3_column_count(stmt_); }

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

Result<Transaction> Transaction::Begin(Database& db) {
  RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE;"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->Exec("ROLLBACK;");
}

Status Transaction::Commit() {
  ONECARD_CHECK(db_ != nullptr);
  Status s = db_->Exec("COMMIT;");
  if (s.ok()) db_ = nullptr;
  return s;
}

}  // namespace onecard::schema
