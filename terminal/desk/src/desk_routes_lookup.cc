// What the registration form looks up (desk_api.h):
//   GET /api/areas?under=CODE   the areas one level below CODE (the provinces without it), from
//                               GB/T 2260 (protocol area_codes.h), for the area picker
//   GET /api/sites              the sites this terminal knows, for a referral's target
//   GET /api/children/possible-duplicates?name=&id_number=&birth_date=
//                               local children that may be the one being registered: the same ID
//                               number, or the same name in Han characters or in pinyin; each with
//                               its reasons ("id_number", "name", "birth_date")

#include <map>

#include "desk_routes.h"
#include "onecard/protocol/area_codes.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/pinyin.h"
#include "onecard/terminal/child_page.h"

namespace onecard::desk {
namespace {

using nlohmann::json;
using terminal::StaffAction;
using terminal::TerminalStore;

Result<json> Areas(const http::Request& request) {
  const std::string under = request.query().Get("under").value_or("");
  auto areas = AreasUnder(under);
  if (!areas) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("不是已知的省或地市代码：" + under,
                     "not the code of a known province or prefecture: " + under))
        .WithField("under");
  }
  json out = json::array();
  for (const auto& [code, name] : *areas) out.push_back({{"code", code}, {"name", name}});
  return out;
}

Result<json> Sites(DeskState& state) {
  return state.store.With(StaffAction::kShow, [&](TerminalStore& store) -> Result<json> {
    ASSIGN_OR_RETURN(std::vector<terminal::KnownSite> sites, store.sites().List());
    json out = json::array();
    for (const terminal::KnownSite& s : sites) {
      out.push_back({{"site_id", s.site_id},
                     {"name", s.name},
                     {"area", s.area},
                     {"area_name", AreaName(s.area).value_or("")},
                     {"role", s.role},
                     {"is_own", s.is_own}});
    }
    return out;
  });
}

std::string Text(const json& record, const char* key) {
  auto it = record.find(key);
  return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The same name: equal in Han characters, or in pinyin (刘小明 and 刘晓明 read alike).
bool SameName(const std::string& a, const std::string& b) {
  return a == b || (!a.empty() && NamePinyin(a) == NamePinyin(b));
}

Result<json> PossibleDuplicates(DeskState& state, const http::Request& request) {
  const std::string name = request.query().Get("name").value_or("");
  const std::string id_number = request.query().Get("id_number").value_or("");
  const std::string birth_date = request.query().Get("birth_date").value_or("");
  if (name.empty() && id_number.empty()) return json::array();
  return state.store.With(StaffAction::kSearch, [&](TerminalStore& store) -> Result<json> {
    std::map<std::string, json> found;  // child_id -> record, in order
    if (!id_number.empty()) {
      ASSIGN_OR_RETURN(std::vector<json> by_id, store.children().Search("", id_number));
      for (json& r : by_id) found.emplace(Text(r, "child_id"), std::move(r));
    }
    if (!name.empty()) {
      // Searched by the name's pinyin, so that the same name in other characters is found too.
      const std::string pinyin = NamePinyin(name);
      ASSIGN_OR_RETURN(std::vector<json> by_name,
                       store.children().Search(pinyin.empty() ? name : pinyin, ""));
      for (json& r : by_name) {
        if (SameName(Text(r, "name"), name)) found.emplace(Text(r, "child_id"), std::move(r));
      }
    }
    json out = json::array();
    for (auto& [child_id, record] : found) {
      if (terminal::IsClosedRecord(record)) continue;
      json reasons = json::array();
      if (!id_number.empty() && Text(record, "id_number") == id_number)
        reasons.push_back("id_number");
      if (!name.empty() && SameName(Text(record, "name"), name)) reasons.push_back("name");
      if (!birth_date.empty() && Text(record, "birth_date") == birth_date)
        reasons.push_back("birth_date");
      json shown = terminal::PublicRecord(std::move(record));
      shown["area_names"] = AreaNames(shown);
      out.push_back({{"record", std::move(shown)}, {"reasons", std::move(reasons)}});
    }
    return out;
  });
}

}  // namespace

void AddLookupRoutes(http::Router& router, DeskState& state) {
  router.Get("/api/areas", Guarded(state, [](const http::Request& r, const auto&) {
               return JsonOrError(Areas(r));
             }));
  router.Get("/api/sites", Guarded(state, [&state](const http::Request&, const auto&) {
               return JsonOrError(Sites(state));
             }));
  router.Get("/api/children/possible-duplicates",
             Guarded(state, [&state](const http::Request& r, const auto&) {
               return JsonOrError(PossibleDuplicates(state, r));
             }));
}

}  // namespace onecard::desk
