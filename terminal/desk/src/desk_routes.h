// The parts of the desk's API (desk_api.h) and what their handlers share.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

#include "browser_sessions.h"
#include "desk_state.h"
#include "onecard/http/event_channel.h"
#include "onecard/http/request.h"
#include "onecard/http/response.h"
#include "onecard/http/router.h"
#include "onecard/protocol/civil_date.h"
#include "onecard/protocol/status.h"

namespace onecard::desk {

using GuardedHandler = std::function<http::Response(const http::Request&, const BrowserSession&)>;

// A handler that runs only for requests the guard lets through (desk_guard.h); the others get the
// guard's refusal.
http::Handler Guarded(DeskState& state, GuardedHandler handler);

// 200 with the value, or the error (ErrorResponse, "field" included).
http::Response JsonOrError(const Result<nlohmann::json>& result);

// The request's body as a JSON object; kInvalidArgument naming the problem otherwise.
Result<nlohmann::json> BodyObject(const http::Request& request);

// The names of the areas `record` names (its hukou and residence areas, its guardians' and its
// caregiver's), code -> name ("321324" -> "泗洪县"), so the page shows words, not codes.
nlohmann::json AreaNames(const nlohmann::json& record);

// The doses done, due and overdue on `today` (ImmunizationAssessment::ToJson), for the child page
// and the worklist; null when the birth date is unusable.
nlohmann::json DosesToday(const nlohmann::json& record, CivilDate today);

// The string member `key` of `body`: "" when absent or null; kInvalidArgument with field `key` when
// it is not a string or is longer than `max_bytes`.
Result<std::string> TextMember(const nlohmann::json& body, const std::string& key,
                               size_t max_bytes = 2000);

void AddSessionRoutes(http::Router& router, DeskState& state);   // desk_routes_session.cc
void AddChildrenRoutes(http::Router& router, DeskState& state);  // desk_routes_children.cc
// POST /api/children/{id}/card: issue, update or replace the card (desk_routes_cards.cc).
void AddCardRoutes(http::Router& router, DeskState& state);
// GET /api/areas, GET /api/sites, GET /api/children/possible-duplicates (desk_routes_lookup.cc).
void AddLookupRoutes(http::Router& router, DeskState& state);
// Referrals made and answered, and the overdue doses worklist (desk_routes_referrals.cc).
void AddReferralRoutes(http::Router& router, DeskState& state);
// GET and POST /api/sync (desk_routes_sync.cc).
void AddSyncRoutes(http::Router& router, DeskState& state);
// The supervisors' staff screen and the audit chain check (desk_routes_staff.cc).
void AddStaffRoutes(http::Router& router, DeskState& state);
// The supervisors' review: conflicting edits and possible duplicates (desk_routes_review.cc).
void AddReviewRoutes(http::Router& router, DeskState& state);
// GET /api/events: the desk's event stream (card_watch.h lists the events), for a browser
// session; GET /api/reader: the reader's state now (desk_routes_events.cc).
void AddEventRoutes(http::Router& router, DeskState& state,
                    std::shared_ptr<http::EventChannel> events);

}  // namespace onecard::desk
