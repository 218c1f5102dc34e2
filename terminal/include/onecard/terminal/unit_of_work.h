// The unit of work of the terminal's store: the open SQLCipher database and who is acting on it
// (staff member, role, terminal, clock). The repositories (children_repository.h, outbox.h, ...)
// are views over one unit; a change that spans several of them (an outbox event, the rows it
// changes, an audit entry) is one transaction of the unit, so a crash leaves the store before or
// after the change, never between.
//
// Thread-safety: one thread at a time (the CLI runs one command per process).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "onecard/platform/clock.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/terminal/staff_roles.h"

namespace onecard::terminal {

// Who acts on the store, and where it lives.
struct StoreActor {
  std::string dir;  // the data directory (terminal.db, keys.json)
  std::string terminal_id;
  std::string user;
  StaffRole role = StaffRole::kRegistrar;
};

class UnitOfWork {
 public:
  // `store_key` is kept to add and re-wrap key slots and wiped on destruction; `clock` stamps what
  // the store writes and must outlive the unit.
  UnitOfWork(schema::Database db, StoreActor actor, SecretBytes store_key,
             const platform::Clock& clock)
      : db_(std::move(db)),
        actor_(std::move(actor)),
        store_key_(std::move(store_key)),
        clock_(&clock) {}
  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;

  schema::Database& db() { return db_; }
  const std::string& dir() const { return actor_.dir; }
  const std::string& terminal_id() const { return actor_.terminal_id; }
  const std::string& user() const { return actor_.user; }
  StaffRole role() const { return actor_.role; }
  const platform::Clock& clock() const { return *clock_; }
  const SecretBytes& store_key() const { return store_key_; }

  // Begins the transaction of one change; it rolls back unless committed.
  Result<schema::Transaction> Begin() { return schema::Transaction::Begin(db_); }

  // The store's meta values. kNotFound names a key not set.
  Result<std::string> Meta(const std::string& key);
  Status SetMeta(const std::string& key, const std::string& value);
  // A meta value that holds an unsigned number; kCorruption (not an exception) when it does not.
  Result<uint64_t> MetaNumber(const std::string& key);
  // The next reading of the terminal's hybrid logical clock, kept in meta `hlc`.
  Result<uint64_t> NextHlc();

  // Appends an audit entry by the acting member, stamped now (audit_log.h). Call inside the
  // transaction of the change it records.
  Status Audit(const std::string& action, const std::string& child_id,
               const nlohmann::json& detail);
  // The same in a transaction of its own, for what changes nothing else (a read, a refusal).
  Status AuditAlone(const std::string& action, const std::string& child_id,
                    const nlohmann::json& detail);

 private:
  schema::Database db_;
  StoreActor actor_;
  SecretBytes store_key_;
  const platform::Clock* clock_;
};

}  // namespace onecard::terminal
