// The supervisors' screen (docs/desk.md), each as `staff ...` / `audit verify` at the command line:
//   GET  /api/staff                  [{name, role, created_at, disabled_at}]
//   POST /api/staff                  {name, role, passphrase}: a new member -> the list
//   POST /api/staff/{name}/disable   their passphrase opens nothing any more -> the list
//   POST /api/staff/{name}/reset     {passphrase}: a new passphrase for a forgotten one -> the list
//   GET  /api/audit/verify           {intact, entries, problem}: the audit chain checked
// Passphrases are wiped from memory once used and never logged.

#include "desk_routes.h"
#include "onecard/protocol/crypto.h"
#include "onecard/protocol/i18n.h"

namespace onecard::desk {
namespace {

using nlohmann::json;
using terminal::StaffAction;
using terminal::StaffMember;
using terminal::TerminalStore;

Result<json> StaffJson(TerminalStore& store) {
  ASSIGN_OR_RETURN(std::vector<StaffMember> staff, store.staff().List());
  json out = json::array();
  for (const StaffMember& m : staff) {
    out.push_back({{"name", m.name},
                   {"role", std::string(terminal::StaffRoleName(m.role))},
                   {"created_at", m.created_at},
                   {"disabled_at", m.disabled_at}});
  }
  return out;
}

// The passphrase member of `body`, taken out of it (the body's copy is wiped).
Result<std::string> TakePassphrase(json& body) {
  ASSIGN_OR_RETURN(std::string passphrase, TextMember(body, "passphrase", 1024));
  if (body.contains("passphrase") && body["passphrase"].is_string())
    WipeString(body["passphrase"].get_ref<std::string&>());
  if (passphrase.empty()) {
    return Status(ErrorCode::kInvalidArgument, Tr("请填写口令", "enter the passphrase"))
        .WithField("passphrase");
  }
  return passphrase;
}

// A refusal about the passphrase (too short) names its field.
Status OnPassphrase(Status s) {
  if (s.code() == ErrorCode::kInvalidArgument && s.field().empty())
    return s.WithField("passphrase");
  return s;
}

Result<json> AddMember(DeskState& state, const http::Request& request) {
  ASSIGN_OR_RETURN(json body, BodyObject(request));
  ASSIGN_OR_RETURN(std::string name, TextMember(body, "name", 64));
  ASSIGN_OR_RETURN(std::string role_text, TextMember(body, "role", 16));
  std::optional<terminal::StaffRole> role = terminal::ParseStaffRole(role_text);
  if (!role) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("请选择角色：登记员或主管", "choose a role: registrar or supervisor"))
        .WithField("role");
  }
  if (name.empty()) {
    return Status(ErrorCode::kInvalidArgument, Tr("请填写用户名", "enter the user name"))
        .WithField("name");
  }
  ASSIGN_OR_RETURN(std::string passphrase, TakePassphrase(body));
  return state.store.With(StaffAction::kStaffAdd, [&](TerminalStore& store) -> Result<json> {
    Status added = store.staff().Add(name, *role, passphrase);
    WipeString(passphrase);
    RETURN_IF_ERROR(OnPassphrase(std::move(added)));
    return StaffJson(store);
  });
}

Result<json> Reset(DeskState& state, const http::Request& request) {
  ASSIGN_OR_RETURN(json body, BodyObject(request));
  ASSIGN_OR_RETURN(std::string passphrase, TakePassphrase(body));
  return state.store.With(StaffAction::kStaffManage, [&](TerminalStore& store) -> Result<json> {
    Status reset = store.staff().ResetPassphrase(request.Param("name"), passphrase);
    WipeString(passphrase);
    RETURN_IF_ERROR(OnPassphrase(std::move(reset)));
    return StaffJson(store);
  });
}

Result<json> Disable(DeskState& state, const http::Request& request) {
  return state.store.With(StaffAction::kStaffManage, [&](TerminalStore& store) -> Result<json> {
    RETURN_IF_ERROR(store.staff().Disable(request.Param("name")));
    return StaffJson(store);
  });
}

Result<json> VerifyAudit(DeskState& state) {
  return state.store.With(StaffAction::kAuditVerify, [&](TerminalStore& store) -> Result<json> {
    ASSIGN_OR_RETURN(terminal::AuditReport report, store.audit().Verify());
    return json{
        {"intact", report.intact}, {"entries", report.entries}, {"problem", report.problem}};
  });
}

}  // namespace

void AddStaffRoutes(http::Router& router, DeskState& state) {
  router.Get("/api/staff", Guarded(state, [&state](const http::Request&, const auto&) {
               return JsonOrError(state.store.With(StaffAction::kStaffManage, StaffJson));
             }));
  router.Post("/api/staff", Guarded(state, [&state](const http::Request& r, const auto&) {
                return JsonOrError(AddMember(state, r));
              }));
  router.Post("/api/staff/{name}/disable",
              Guarded(state, [&state](const http::Request& r, const auto&) {
                return JsonOrError(Disable(state, r));
              }));
  router.Post("/api/staff/{name}/reset",
              Guarded(state, [&state](const http::Request& r, const auto&) {
                return JsonOrError(Reset(state, r));
              }));
  router.Get("/api/audit/verify", Guarded(state, [&state](const http::Request&, const auto&) {
               return JsonOrError(VerifyAudit(state));
             }));
}

}  // namespace onecard::desk
