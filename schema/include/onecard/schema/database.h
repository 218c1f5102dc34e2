// A SQLCipher 4 database: RAII owners for the connection, statements and transactions.
// SQLite result codes are translated to Status here and nowhere else.
//
// Thread-safety: a Database and its statements belong to one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "onecard/protocol/bytes.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace onecard::schema {

class Statement;

class Database {
 public:
  Database() = default;
  Database(Database&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Opens (creating when `create` is true) the encrypted database at `path` with a raw 32-byte key
  // (no KDF runs). A wrong key or a file that is not a SQLCipher database gives kUnauthenticated;
  // a missing file with create=false gives kNotFound. WAL journal, synchronous=FULL, foreign keys
  // on.
  static Result<Database> Open(const std::string& path, const SecretBytes& key, bool create);

  // Runs one or more statements without results.
  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);

  int64_t LastInsertRowId() const;
  int Changes() const;
  sqlite3* handle() const { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
  }
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  Statement& Bind(int index, ByteSpan blob);
  Statement& BindNull(int index);

  // Returns true when a row is available, false when done.
  Result<bool> Step();
  // Steps through every row, calling `on_row(*this)` to read each one's columns. Returns the
  // first error of a step or, when `on_row` returns a Status, the first error it returns.
  template <typename OnRow>
  Status ForEachRow(OnRow&& on_row) {
    while (true) {
      ASSIGN_OR_RETURN(bool row, Step());
      if (!row) return Status::Ok();
      const Statement& current = *this;
      if constexpr (std::is_same_v<std::invoke_result_t<OnRow&, const Statement&>, Status>) {
        RETURN_IF_ERROR(on_row(current));
      } else {
        on_row(current);
      }
    }
  }
  // Steps to completion, for statements without results.
  Status Run();
  // Steps to completion and returns the first column of each row, as text.
  Result<std::vector<std::string>> FirstColumnTexts();
  Status Reset();

  int64_t ColumnInt(int index) const;
  std::string ColumnText(int index) const;
  Bytes ColumnBlob(int index) const;
  // The bytes of a blob column without a copy: valid until the next Step or Reset.
  std::span<const uint8_t> ColumnBlobView(int index) const;
  bool ColumnIsNull(int index) const;
  int ColumnCount() const;  // of the statement's result rows

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// BEGIN IMMEDIATE on construction; rolls back on destruction unless Commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

// Translates a SQLite result code (with the connection's message) into a Status.
Status SqliteStatus(sqlite3* db, int rc, std::string_view what);

}  // namespace onecard::schema
