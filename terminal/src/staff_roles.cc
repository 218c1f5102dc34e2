#include "onecard/terminal/staff_roles.h"

namespace onecard::terminal {

std::optional<StaffRole> ParseStaffRole(std::string_view text) {
  if (text == "registrar") return StaffRole::kRegistrar;
  if (text == "supervisor") return StaffRole::kSupervisor;
  return std::nullopt;
}

std::string_view StaffRoleName(StaffRole role) {
  return role == StaffRole::kSupervisor ? "supervisor" : "registrar";
}

std::string_view StaffActionName(StaffAction action) {
  switch (action) {
    case StaffAction::kRegister:
      return "child.register";
    case StaffAction::kUpdate:
      return "child.update";
    case StaffAction::kShow:
      return "child.read";
    case StaffAction::kSearch:
      return "child.search";
    case StaffAction::kDue:
      return "child.due";
    case StaffAction::kCardIssue:
      return "card.issue";
    case StaffAction::kCardRead:
      return "card.read";
    case StaffAction::kCardUpdate:
      return "card.update";
    case StaffAction::kReferral:
      return "referral";
    case StaffAction::kSync:
      return "sync";
    case StaffAction::kAuditVerify:
      return "audit.verify";
    case StaffAction::kChangeOwnPassphrase:
      return "staff.passwd";
    case StaffAction::kStaffAdd:
      return "staff.add";
    case StaffAction::kCardReplace:
      return "card.replace";
    case StaffAction::kCardRevoke:
      return "card.revoke";
    case StaffAction::kResolveConflict:
      return "conflict.resolve";
    case StaffAction::kIdentityReview:
      return "identity.review";
    case StaffAction::kEraseChild:
      return "child.erase";
    case StaffAction::kExport:
      return "child.export";
    case StaffAction::kStaffManage:
      return "staff.manage";
  }
  return "unknown";
}

bool RoleMayDo(StaffRole role, StaffAction action) {
  switch (action) {
    case StaffAction::kStaffAdd:
    case StaffAction::kStaffManage:
    case StaffAction::kCardReplace:
    case StaffAction::kCardRevoke:
    case StaffAction::kResolveConflict:
    case StaffAction::kIdentityReview:
    case StaffAction::kEraseChild:
      return role == StaffRole::kSupervisor;
    case StaffAction::kRegister:
    case StaffAction::kUpdate:
    case StaffAction::kShow:
    case StaffAction::kSearch:
    case StaffAction::kDue:
    // Guardians ask at the desk, where registrars serve them; the copy shows no more than `show`
    // and the audit log of the child, and the export is audited like a read.
    case StaffAction::kExport:
    case StaffAction::kCardIssue:
    case StaffAction::kCardRead:
    case StaffAction::kCardUpdate:
    case StaffAction::kReferral:
    case StaffAction::kSync:
    case StaffAction::kAuditVerify:
    case StaffAction::kChangeOwnPassphrase:
      return role == StaffRole::kRegistrar || role == StaffRole::kSupervisor;
  }
  return false;
}

}  // namespace onecard::terminal
