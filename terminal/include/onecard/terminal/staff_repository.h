// The terminal's staff (table `staff`, key slots in keys.json: store_keys.h): who may act, in which
// role (staff_roles.h), and their passphrases.
#pragma once

#include <string>

#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/terminal/staff_roles.h"
#include "onecard/terminal/unit_of_work.h"

namespace onecard::terminal {

// The role of staff member `user`, for opening the store. kPermissionDenied when `user` is not
// staff here (a key slot without a staff row, e.g. a staff add that failed between its writes).
Result<StaffRole> LoadStaffRole(schema::Database& db, const std::string& user);

class StaffRepository {
 public:
  explicit StaffRepository(UnitOfWork& unit) : unit_(unit) {}

  // Checks that the acting member may perform `action` (the table in staff_roles.h); a refusal is
  // kPermissionDenied naming the action, and is itself audited.
  Status Authorize(StaffAction action);
  // Adds staff member `name` with `role` and a key slot for `passphrase` (at least 8 characters).
  // Supervisors only. kAlreadyExists when `name` is already staff here. Audited.
  Status Add(const std::string& name, StaffRole role, const std::string& passphrase);
  // Changes the acting member's own passphrase by re-wrapping their key slot (the store is not
  // re-encrypted; other members' slots are untouched). Audited.
  Status ChangePassphrase(const std::string& new_passphrase);

 private:
  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
