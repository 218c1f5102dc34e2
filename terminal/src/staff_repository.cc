#include "onecard/terminal/staff_repository.h"

#include "onecard/protocol/i18n.h"
#include "onecard/protocol/timestamp.h"
#include "onecard/terminal/store_keys.h"

namespace onecard::terminal {
namespace {

using nlohmann::json;
using schema::Statement;
using schema::Transaction;

constexpr size_t kMinPassphraseChars = 8;

Status CheckNewPassphrase(const std::string& passphrase) {
  if (passphrase.size() < kMinPassphraseChars) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("口令至少需要 8 个字符", "the passphrase must have at least 8 characters"));
  }
  return Status::Ok();
}

Status CheckStaffName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.find_first_of("\n\r\t") != std::string::npos) {
    return Status(ErrorCode::kInvalidArgument, Tr("工作人员用户名无效（1–64 个字符）",
                                                  "invalid staff user name (1–64 characters)"));
  }
  return Status::Ok();
}

}  // namespace

Result<StaffRole> LoadStaffRole(schema::Database& db, const std::string& user) {
  ASSIGN_OR_RETURN(Statement st,
                   db.Prepare("SELECT role, disabled_at IS NOT NULL FROM staff WHERE name = ?"));
  st.Bind(1, user);
  ASSIGN_OR_RETURN(bool row, st.Step());
  std::optional<StaffRole> role = row ? ParseStaffRole(st.ColumnText(0)) : std::nullopt;
  if (role && st.ColumnInt(1) != 0) {
    // Its slot was removed when it was disabled; a copy of an older keys.json still opens nothing.
    return Status(ErrorCode::kPermissionDenied,
                  Tr(user + " 已被停用", user + " has been disabled at this terminal"));
  }
  if (!role) {
    // A key slot without a staff row (e.g. a staff add that failed between the two writes).
    return Status(
        ErrorCode::kPermissionDenied,
        Tr(user + " 不是本终端的工作人员", user + " is not a staff member of this terminal"));
  }
  return *role;
}

Status StaffRepository::Authorize(StaffAction action) {
  if (RoleMayDo(unit_.role(), action)) return Status::Ok();
  std::string name(StaffActionName(action));
  std::string role(StaffRoleName(unit_.role()));
  const std::string& user = unit_.user();
  RETURN_IF_ERROR(unit_.AuditAlone("access.denied", "", {{"action", name}, {"role", role}}));
  return Status(ErrorCode::kPermissionDenied,
                Tr(user + "（" + (unit_.role() == StaffRole::kSupervisor ? "主管" : "登记员") +
                       "）无权执行 " + name + "，需要主管",
                   user + " (" + role + ") may not perform " + name + "; a supervisor must"));
}

Status StaffRepository::Add(const std::string& name, StaffRole role,
                            const std::string& passphrase) {
  RETURN_IF_ERROR(Authorize(StaffAction::kStaffAdd));
  RETURN_IF_ERROR(CheckStaffName(name));
  RETURN_IF_ERROR(CheckNewPassphrase(passphrase));
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(Statement exists, unit_.db().Prepare("SELECT 1 FROM staff WHERE name = ?"));
  exists.Bind(1, name);
  ASSIGN_OR_RETURN(bool row, exists.Step());
  if (row) {
    return Status(ErrorCode::kAlreadyExists,
                  Tr(name + " 已是本终端的工作人员", name + " is already a staff member here"));
  }
  ASSIGN_OR_RETURN(
      Statement ins,
      unit_.db().Prepare("INSERT INTO staff(name, role, created_at) VALUES (?, ?, ?)"));
  RETURN_IF_ERROR(
      ins.Bind(1, name).Bind(2, StaffRoleName(role)).Bind(3, UtcNowIso8601(unit_.clock())).Run());
  RETURN_IF_ERROR(unit_.Audit("staff.add", "", {{"user", name}, {"role", StaffRoleName(role)}}));
  // The key slot is written last, before the commit: if it fails nothing is recorded; if the
  // commit fails after it, the slot opens nothing (Open refuses a name without a staff row).
  RETURN_IF_ERROR(StoreKeys::SetSlot(unit_.dir(), name, passphrase, unit_.store_key()));
  return tx.Commit();
}

Status StaffRepository::ChangePassphrase(const std::string& new_passphrase) {
  RETURN_IF_ERROR(Authorize(StaffAction::kChangeOwnPassphrase));
  RETURN_IF_ERROR(CheckNewPassphrase(new_passphrase));
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  RETURN_IF_ERROR(unit_.Audit("staff.passwd", "", json::object()));
  RETURN_IF_ERROR(StoreKeys::SetSlot(unit_.dir(), unit_.user(), new_passphrase, unit_.store_key()));
  return tx.Commit();
}

Result<StaffMember> StaffRepository::Load(const std::string& name) {
  ASSIGN_OR_RETURN(Statement st, unit_.db().Prepare("SELECT role, created_at, "
                                                    "coalesce(disabled_at, '') FROM staff "
                                                    "WHERE name = ?"));
  st.Bind(1, name);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return Status(ErrorCode::kNotFound,
                  Tr(name + " 不是本终端的工作人员", name + " is not a staff member here"));
  }
  return StaffMember{name, ParseStaffRole(st.ColumnText(0)).value_or(StaffRole::kRegistrar),
                     st.ColumnText(1), st.ColumnText(2)};
}

Result<std::vector<StaffMember>> StaffRepository::List() {
  RETURN_IF_ERROR(Authorize(StaffAction::kStaffManage));
  ASSIGN_OR_RETURN(Statement st, unit_.db().Prepare("SELECT name FROM staff ORDER BY name"));
  std::vector<std::string> names;
  RETURN_IF_ERROR(st.ForEachRow([&](const Statement& row) { names.push_back(row.ColumnText(0)); }));
  std::vector<StaffMember> staff;
  for (const std::string& name : names) {
    ASSIGN_OR_RETURN(StaffMember member, Load(name));
    staff.push_back(std::move(member));
  }
  return staff;
}

Status StaffRepository::Disable(const std::string& name) {
  RETURN_IF_ERROR(Authorize(StaffAction::kStaffManage));
  if (name == unit_.user()) {
    return Status(ErrorCode::kFailedPrecondition,
                  Tr("不能停用自己", "you cannot disable yourself"));
  }
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(StaffMember member, Load(name));
  if (!member.disabled_at.empty()) {
    return Status(ErrorCode::kFailedPrecondition,
                  Tr(name + " 已于 " + member.disabled_at + " 停用",
                     name + " was disabled on " + member.disabled_at));
  }
  ASSIGN_OR_RETURN(Statement st,
                   unit_.db().Prepare("UPDATE staff SET disabled_at = ? WHERE name = ?"));
  RETURN_IF_ERROR(st.Bind(1, UtcNowIso8601(unit_.clock())).Bind(2, name).Run());
  RETURN_IF_ERROR(unit_.Audit("staff.disable", "", {{"user", name}}));
  // The slot goes last, before the commit: if the commit then fails, the member is still staff
  // without a slot, and a supervisor resets their passphrase.
  RETURN_IF_ERROR(StoreKeys::RemoveSlot(unit_.dir(), name));
  return tx.Commit();
}

Status StaffRepository::ResetPassphrase(const std::string& name,
                                        const std::string& new_passphrase) {
  RETURN_IF_ERROR(Authorize(StaffAction::kStaffManage));
  RETURN_IF_ERROR(CheckNewPassphrase(new_passphrase));
  ASSIGN_OR_RETURN(Transaction tx, unit_.Begin());
  ASSIGN_OR_RETURN(StaffMember member, Load(name));
  if (!member.disabled_at.empty()) {
    return Status(
        ErrorCode::kFailedPrecondition,
        Tr(name + " 已停用，不能重设口令", name + " is disabled; no passphrase to reset"));
  }
  RETURN_IF_ERROR(unit_.Audit("staff.reset", "", {{"user", name}}));
  RETURN_IF_ERROR(StoreKeys::SetSlot(unit_.dir(), name, new_passphrase, unit_.store_key()));
  return tx.Commit();
}

}  // namespace onecard::terminal
