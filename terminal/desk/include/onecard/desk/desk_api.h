// The desk's JSON API (docs/desk.md): what the desk's pages ask of the terminal. Every route but
// /open checks the request with the desk's guard (Host, session cookie, CSRF; desk_guard.h), and
// every route that touches the store runs as the signed-in staff member with the staff action it
// needs, so it is refused and audited as the same command at the command line would be.
//
//   GET  /open?secret=S        the launch link: a session cookie, then to /
//   GET  /api/session          {signed_in, user, role, terminal_id, csrf_token, idle_seconds}
//   POST /api/sign-in          {user, passphrase}
//   POST /api/lock             closes the store
//   POST /api/language         {language: "zh"|"en"}: the language of the messages
//   GET  /api/children?q=TEXT  search by name (Han or pinyin) or ID number
//   GET  /api/children/{id}    the child's page: {record, doses, area_names}
//   POST /api/children         register {record}: {child_id}
//   PUT  /api/children/{id}    update {fields}: the child's page
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
