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

void AddSessionRoutes(http::Router& router, DeskState& state);   // desk_routes_session.cc
void AddChildrenRoutes(http::Router& router, DeskState& state);  // desk_routes_children.cc
// GET /api/events: the desk's event stream (card_watch.h lists the events), for a browser
// session; GET /api/reader: the reader's state now (desk_routes_events.cc).
void AddEventRoutes(http::Router& router, DeskState& state,
                    std::shared_ptr<http::EventChannel> events);

}  // namespace onecard::desk
