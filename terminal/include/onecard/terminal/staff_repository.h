// The terminal's staff (table `staff`, key slots in keys.json: store_keys.h): who may act, in which
// role (staff_roles.h), and their passphrases.
#pragma once

#include <string>
#include <vector>

#include "onecard/protocol/status.h"
#include "onecard/schema/database.h"
#include "onecard/terminal/staff_roles.h"
#include "onecard/terminal/unit_of_work.h"

namespace onecard::terminal {

// The role of staff member `user`, for opening the store. kPermissionDenied when `user` is not
// staff here (a key slot without a staff row, e.g. a staff add that failed between its writes).
Result<StaffRole> LoadStaffRole(schema::Database& db, const std::string& user);

struct StaffMember {
  std::string name;
  StaffRole role = StaffRole::kRegistrar;
  std::string created_at;
  std::string disabled_at;  // "" while active
};

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

  // Supervisors only (StaffAction::kStaffManage).
  // Every staff member, by name.
  Result<std::vector<StaffMember>> List();
  // Disables `name`: the row is marked, the key slot removed (their passphrase opens nothing).
  // kNotFound for a name that is not staff here; kFailedPrecondition for the acting member
  // themselves or one already disabled. Audited.
  Status Disable(const std::string& name);
  // Gives `name` a new passphrase (a forgotten one), wrapping the store key for it; they should
  // change it with `passwd` at their next sign-in. kNotFound / kFailedPrecondition (disabled) as
  // above. Audited, without the passphrase.
  Status ResetPassphrase(const std::string& name, const std::string& new_passphrase);

 private:
  // The member `name` (kNotFound when not staff here), inside the caller's transaction.
  Result<StaffMember> Load(const std::string& name);

  UnitOfWork& unit_;
};

}  // namespace onecard::terminal
