// The desk's JSON API (docs/desk.md): what the desk's pages ask of the terminal. Every route but
// /open checks the request with the desk's guard (Host, session cookie, CSRF; desk_guard.h), and
// every route that touches the store runs as the signed-in staff member with the staff action it
// needs, so it is refused and audited as the same command at the command line would be.
//
// The routes and their JSON are listed in docs/desk.md ("API", "Events"); each part of the API is
// one file, desk_routes_*.cc, whose head lists its routes.
//
// Errors are {"error": {"code", "message", "field"?}} in the user's language; "field" names the
// record field a validation error is about.
#pragma once

#include <memory>

#include "onecard/http/router.h"
#include "onecard/platform/clock.h"

namespace onecard::desk {

struct DeskState;  // desk_state.h

class DeskApi {
 public:
  // `state` must outlive the routes.
  explicit DeskApi(DeskState& state) : state_(state) {}

  void AddRoutes(http::Router& router);

 private:
  DeskState& state_;
};

}  // namespace onecard::desk
