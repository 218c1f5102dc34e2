// Staff roles at a terminal and who may do what (PRODUCT.md section 2). This table is the one place
// that decides permissions; StaffRepository::Authorize applies it to the acting staff member.
//
//   registrar:  register, update, show, search, due, export (the guardian's copy), card
//               issue/read/update, referrals, sync, audit verify, change their own passphrase
//   supervisor: all of the above, and add staff, replace and revoke cards, resolve conflicts,
//               review identities (the review queue; merge, separate, unmerge), erase a child's
//               personal data
//
// Roles are enforced by the program. Every staff member holds the store key (their passphrase
// unwraps it), so the roles restrain the program's users, not someone who reads the database with
// their own key outside it; the audit log records who did what either way.
//
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace onecard::terminal {

enum class StaffRole { kRegistrar, kSupervisor };

enum class StaffAction {
  kRegister,
  kUpdate,
  kShow,
  kSearch,
  kDue,
  kCardIssue,
  kCardRead,
  kCardUpdate,
  kReferral,
  kSync,
  kAuditVerify,
  kChangeOwnPassphrase,
  kStaffAdd,
  kCardReplace,
  kCardRevoke,
  kResolveConflict,
  kIdentityReview,
  kEraseChild,
  kExport,
  kStaffManage,  // list, disable and reset the passphrase of staff members
};

// "registrar" / "supervisor"; nullopt for anything else.
std::optional<StaffRole> ParseStaffRole(std::string_view text);
std::string_view StaffRoleName(StaffRole role);
// A stable English name for the audit log and messages, e.g. "card.revoke".
std::string_view StaffActionName(StaffAction action);

// True when a staff member with `role` may perform `action`.
bool RoleMayDo(StaffRole role, StaffAction action);

}  // namespace onecard::terminal
