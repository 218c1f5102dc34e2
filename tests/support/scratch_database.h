// A database for schema migration tests: a SQLCipher file at a fresh path in the temporary
// directory with a random key, removed when the ScratchDatabase ends. Header-only; used by the
// server's and the terminal's unit tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/schema/migrations.h"

namespace onecard::testing {

class ScratchDatabase {
 public:
  // The file is <temporary directory>/onecard-<name>-<pid>.db; any left from before is removed.
  explicit ScratchDatabase(const std::string& name)
      : path_((std::filesystem::temp_directory_path() /
               ("onecard-" + name + "-" + std::to_string(::getpid()) + ".db"))
                  .string()) {
    std::filesystem::remove(path_);
  }
  ~ScratchDatabase() { std::filesystem::remove(path_); }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  // Creates the database and migrates it to `version` of `files`.
  Result<schema::Database> CreateAt(const schema::MigrationFiles& files, int version) const {
    ASSIGN_OR_RETURN(schema::Database db, schema::Database::Open(path_, key_, /*create=*/true));
    RETURN_IF_ERROR(schema::Migrate(db, files, version));
    return db;
  }
  // Opens the database created before.
  Result<schema::Database> Reopen() const {
    return schema::Database::Open(path_, key_, /*create=*/false);
  }

 private:
  std::string path_;
  SecretBytes key_ = RandomSecret(32);
};

}  // namespace onecard::testing
