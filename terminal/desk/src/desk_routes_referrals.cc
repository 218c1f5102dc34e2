// Referrals at the desk (PRODUCT.md section 10; terminal referral_repository.h), each as the
// signed-in member with the staff action of `refer` / `referral ...`:
//   POST /api/children/{id}/referrals     {service, to_site, reason} -> {referral_id}
//   GET  /api/referrals                   {made_here, for_this_site}: referrals with child_name
//   POST /api/referrals/{id}/accept       {note?}           -> the referral as it now is
//   POST /api/referrals/{id}/decline      {reason, note?}   (reason: a decline code)
//   POST /api/referrals/{id}/complete     {note?}           (the outcome)
//   POST /api/referrals/{id}/close        {note?}           (the child was not reached)
// and the worklist of overdue doses, from which a health referral is one action:
//   GET  /api/worklists/overdue           [{child_id, name, birth_date, overdue,
//   open_health_referral}]
// A change publishes a `referrals` event, so that every page of this desk reloads its lists.

#include "desk_routes.h"
#include "onecard/protocol/ageing_out.h"
#include "onecard/protocol/i18n.h"
#include "onecard/protocol/referral.h"

namespace onecard::desk {
namespace {

using nlohmann::json;
using terminal::StaffAction;
using terminal::TerminalStore;

std::string Text(const json& record, const char* key) {
  auto it = record.find(key);
  return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The fields of a new referral, checked before the store is asked, each refusal naming its field.
Status CheckNewReferral(const std::string& service, const std::string& to_site,
                        const std::string& reason) {
  if (!IsReferralService(service)) {
    return Status(ErrorCode::kInvalidArgument, Tr("请选择服务类别", "choose a service"))
        .WithField("service");
  }
  if (to_site.empty()) {
    return Status(ErrorCode::kInvalidArgument, Tr("请选择接收站点", "choose the target site"))
        .WithField("to_site");
  }
  Status text = CheckReferralText(reason, /*required=*/true, Tr("转介原因", "the reason"));
  return text.ok() ? text : Status(text).WithField("reason");
}

Result<json> Refer(DeskState& state, const http::Request& request, const std::string& child_id) {
  ASSIGN_OR_RETURN(json body, BodyObject(request));
  ASSIGN_OR_RETURN(std::string service, TextMember(body, "service", 32));
  ASSIGN_OR_RETURN(std::string to_site, TextMember(body, "to_site", 64));
  ASSIGN_OR_RETURN(std::string reason, TextMember(body, "reason", kMaxReferralReasonBytes));
  RETURN_IF_ERROR(CheckNewReferral(service, to_site, reason));
  ASSIGN_OR_RETURN(std::string id,
                   state.store.With(StaffAction::kReferral, [&](TerminalStore& store) {
                     return store.referrals().Refer(child_id, service, to_site, reason);
                   }));
  state.events->Publish("referrals", "{}");
  return json{{"referral_id", id}};
}

// The child's name for a list, when the child is held here and its record is open; else "".
Result<std::string> ChildName(TerminalStore& store, const std::string& child_id, CivilDate today) {
  ASSIGN_OR_RETURN(std::optional<ChildState> state, store.children().Load(child_id));
  if (!state) return std::string();
  json record = state->Record();
  if (ClosedOn(Text(record, "birth_date"), today)) return std::string();
  return Text(record, "name");
}

Result<json> Referrals(DeskState& state) {
  const CivilDate today = CivilDate::TodayInChina(state.clock);
  return state.store.With(StaffAction::kReferral, [&](TerminalStore& store) -> Result<json> {
    ASSIGN_OR_RETURN(std::vector<terminal::KnownSite> sites, store.sites().List());
    const std::string own = !sites.empty() && sites.front().is_own ? sites.front().site_id : "";
    ASSIGN_OR_RETURN(std::vector<Referral> referrals, store.referrals().List(""));
    json out = {{"made_here", json::array()}, {"for_this_site", json::array()}};
    for (const Referral& r : referrals) {
      json shown = r.ToJson();
      ASSIGN_OR_RETURN(shown["child_name"], ChildName(store, r.child_id, today));
      if (r.to_site == own) out["for_this_site"].push_back(shown);
      if (r.from_site == own) out["made_here"].push_back(std::move(shown));
    }
    return out;
  });
}

Result<json> Move(DeskState& state, const http::Request& request, ReferralStatus to) {
  ASSIGN_OR_RETURN(json body, BodyObject(request));
  ASSIGN_OR_RETURN(std::string note, TextMember(body, "note", kMaxReferralReasonBytes));
  std::string code;
  if (to == ReferralStatus::kDeclined) {
    ASSIGN_OR_RETURN(code, TextMember(body, "reason", 32));
    Status given = terminal::CheckDeclineReasonGiven(code);
    if (!given.ok()) return Status(given).WithField("reason");
  }
  ASSIGN_OR_RETURN(Referral moved,
                   state.store.With(StaffAction::kReferral, [&](TerminalStore& store) {
                     return store.referrals().Move(request.Param("id"), to, note, code);
                   }));
  state.events->Publish("referrals", "{}");
  return moved.ToJson();
}

bool HasOpenHealthReferral(const std::vector<Referral>& referrals) {
  for (const Referral& r : referrals) {
    if (r.service == "health" && !IsFinalReferralStatus(r.status)) return true;
  }
  return false;
}

// The children held here with a dose overdue today, each with those doses.
Result<json> OverdueWorklist(DeskState& state) {
  const CivilDate today = CivilDate::TodayInChina(state.clock);
  auto overdue_of = [&](const json& record) {
    json doses = DosesToday(record, today);
    return doses.is_object() && doses.contains("overdue") ? doses["overdue"] : json::array();
  };
  return state.store.With(StaffAction::kShow, [&](TerminalStore& store) -> Result<json> {
    ASSIGN_OR_RETURN(std::vector<json> records,
                     store.children().ListOpen("worklist.overdue", [&](const json& record) {
                       return !overdue_of(record).empty();
                     }));
    json out = json::array();
    for (const json& record : records) {
      const std::string child_id = Text(record, "child_id");
      ASSIGN_OR_RETURN(std::vector<Referral> referrals, store.referrals().Of(child_id));
      json overdue = json::array();
      for (const json& d : overdue_of(record)) {
        overdue.push_back({{"vaccine", d.value("vaccine", "")},
                           {"dose", d.value("dose", 0)},
                           {"due_on", d.value("recommended", "")},
                           {"overdue_from", d.value("overdue_from", "")}});
      }
      out.push_back({{"child_id", child_id},
                     {"name", Text(record, "name")},
                     {"birth_date", Text(record, "birth_date")},
                     {"overdue", std::move(overdue)},
                     {"open_health_referral", HasOpenHealthReferral(referrals)}});
    }
    return out;
  });
}

}  // namespace

void AddReferralRoutes(http::Router& router, DeskState& state) {
  router.Post("/api/children/{id}/referrals",
              Guarded(state, [&state](const http::Request& r, const auto&) {
                return JsonOrError(Refer(state, r, r.Param("id")));
              }));
  router.Get("/api/referrals", Guarded(state, [&state](const http::Request&, const auto&) {
               return JsonOrError(Referrals(state));
             }));
  const std::pair<const char*, ReferralStatus> moves[] = {
      {"accept", ReferralStatus::kAccepted},
      {"decline", ReferralStatus::kDeclined},
      {"complete", ReferralStatus::kCompleted},
      {"close", ReferralStatus::kClosedUnreached}};
  for (const auto& [verb, to] : moves) {
    router.Post(std::string("/api/referrals/{id}/") + verb,
                Guarded(state, [&state, to = to](const http::Request& r, const auto&) {
                  return JsonOrError(Move(state, r, to));
                }));
  }
  router.Get("/api/worklists/overdue", Guarded(state, [&state](const http::Request&, const auto&) {
               return JsonOrError(OverdueWorklist(state));
             }));
}

}  // namespace onecard::desk
