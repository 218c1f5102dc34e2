// The desk's routes for children: search, the child's page, registration and changes (desk_api.h).
// Each runs as the signed-in member with the command line's staff action (register, show, ...),
// so the same refusals and audit entries apply.

#include "desk_routes.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/child_record.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/immunization_schedule.h"
#include "onecard/terminal/child_page.h"

namespace onecard::desk {
namespace {

using nlohmann::json;
using terminal::StaffAction;
using terminal::TerminalStore;

// An ID number is 17 digits and a digit or X; anything else searched for is a name.
bool LooksLikeIdNumber(const std::string& text) {
  if (text.size() != 18) return false;
  for (size_t i = 0; i < 18; ++i) {
    const char c = text[i];
    const bool digit = c >= '0' && c <= '9';
    if (!digit && !(i == 17 && (c == 'X' || c == 'x'))) return false;
  }
  return true;
}

Result<json> Search(DeskState& state, const http::Request& request) {
  std::string q = request.query().Get("q").value_or("");
  if (q.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("请输入姓名、拼音或身份证号", "enter a name, pinyin or ID number"))
        .WithField("q");
  }
  return state.store.With(StaffAction::kSearch, [&](TerminalStore& store) -> Result<json> {
    const bool by_id = LooksLikeIdNumber(q);
    ASSIGN_OR_RETURN(std::vector<json> found,
                     store.children().Search(by_id ? "" : q, by_id ? q : ""));
    json out = json::array();
    for (const json& r : found) {
      json shown = terminal::PublicRecord(r);
      if (!terminal::IsClosedRecord(shown)) shown["area_names"] = AreaNames(shown);
      out.push_back(std::move(shown));
    }
    return out;
  });
}

Result<json> Page(DeskState& state, const std::string& child_id) {
  return state.store.With(StaffAction::kShow, [&](TerminalStore& store) -> Result<json> {
    ASSIGN_OR_RETURN(terminal::ChildPage page, terminal::LoadChildPage(store, child_id));
    json out = {{"record", page.ToJson()}};
    if (!page.closed()) {
      out["doses"] = DosesToday(page.record, CivilDate::TodayInChina(state.clock));
      out["area_names"] = AreaNames(page.record);
      // Also beside the record, present when empty, for the page's sections.
      out["referrals"] = json::array();
      for (const Referral& r : page.referrals) out["referrals"].push_back(r.ToJson());
      out["move"] = page.move;
      out["conflicts"] = page.conflicts;
      out["card"] = {{"serial", page.record.value("card_serial", "")}};
    }
    return out;
  });
}

Result<json> Register(DeskState& state, const http::Request& request) {
  ASSIGN_OR_RETURN(json body, BodyObject(request));
  ASSIGN_OR_RETURN(json record, ValidateNewChild(body, CivilDate::TodayInChina(state.clock)));
  return state.store.With(StaffAction::kRegister, [&](TerminalStore& store) -> Result<json> {
    ASSIGN_OR_RETURN(std::string child_id, store.children().Register(record));
    return json{{"child_id", child_id}};
  });
}

Result<json> Update(DeskState& state, const http::Request& request, const std::string& child_id) {
  ASSIGN_OR_RETURN(json patch, BodyObject(request));
  RETURN_IF_ERROR(state.store.With(StaffAction::kUpdate, [&](TerminalStore& store) -> Status {
    ASSIGN_OR_RETURN(json current, store.children().RecordOf(child_id));
    ASSIGN_OR_RETURN(json fields, ValidateChildPatch(terminal::PublicRecord(current), patch,
                                                     CivilDate::TodayInChina(state.clock)));
    return store.children().Update(child_id, fields).status();
  }));
  return Page(state, child_id);
}

}  // namespace

nlohmann::json DosesToday(const nlohmann::json& record, CivilDate today) {
  auto birth = CivilDate::Parse(record.value("birth_date", ""));
  auto given = GivenDosesOf(record);
  if (!birth.ok() || !given.ok() || today < *birth) return nullptr;
  return AssessImmunizations(ImmunizationSchedule::National(), *birth, *given, today).ToJson();
}

nlohmann::json AreaNames(const nlohmann::json& record) {
  using nlohmann::json;
  json names = json::object();
  auto add = [&](const json& holder, const char* key) {
    if (!holder.is_object() || !holder.contains(key) || !holder[key].is_string()) return;
    const std::string code = holder[key].get<std::string>();
    if (std::optional<std::string> name = AreaName(code)) names[code] = *name;
  };
  add(record, "hukou_area");
  add(record, "residence_area");
  if (record.contains("guardians") && record["guardians"].is_array()) {
    for (const json& g : record["guardians"]) add(g, "residence_area");
  }
  if (record.contains("caregiver")) add(record["caregiver"], "residence_area");
  return names;
}

void AddChildrenRoutes(http::Router& router, DeskState& state) {
  router.Get("/api/children", Guarded(state, [&state](const http::Request& r, const auto&) {
               return JsonOrError(Search(state, r));
             }));
  router.Get("/api/children/{id}", Guarded(state, [&state](const http::Request& r, const auto&) {
               return JsonOrError(Page(state, r.Param("id")));
             }));
  router.Post("/api/children", Guarded(state, [&state](const http::Request& r, const auto&) {
                return JsonOrError(Register(state, r));
              }));
  router.Put("/api/children/{id}", Guarded(state, [&state](const http::Request& r, const auto&) {
               return JsonOrError(Update(state, r, r.Param("id")));
             }));
}

}  // namespace onecard::desk
