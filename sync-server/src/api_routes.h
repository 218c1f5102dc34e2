// Internals of the officials' API (officials_api.h): what the route groups share. The wrappers
// (officials_api.cc) authenticate, check CSRF and audit; the groups (api_session_routes.cc,
// api_report_routes.cc) answer.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "onecard/http/request.h"
#include "onecard/http/response.h"
#include "onecard/http/router.h"
#include "onecard/platform/clock.h"
#include "onecard/server/account_store.h"
#include "onecard/server/officials_api.h"
#include "onecard/server/report_store.h"
#include "onecard/server/sign_in.h"
#include "report_csv.h"

namespace onecard::server {

// A handler's answer and what the audit records of it.
struct ApiAnswer {
  http::Response response;
  int64_t cells = 0;       // counts disclosed (cells and totals)
  std::string audit_user;  // who, when the handler knows better than the session (a sign-in)
};

struct ApiContext {
  AccountStore& accounts;
  ReportStore& reports;
  const platform::Clock& clock;
  SignInService sign_in;
};

using PublicHandler = std::function<ApiAnswer(const http::Request&)>;
using SignedInHandler = std::function<ApiAnswer(const http::Request&, const Principal&)>;

// Audited; no session needed (signing in).
http::Handler Public(ApiContext& api, PublicHandler handler);
// Audited; 401 without a valid session; for POST and DELETE, 403 without the session's CSRF
// token or with another site's Origin.
http::Handler SignedIn(ApiContext& api, SignedInHandler handler);

// A JSON error answer ({"error": {"code", "message"}}), the message in the user's language.
ApiAnswer ApiError(http::StatusCode status, std::string_view code, const std::string& zh,
                   const std::string& en);
// ApiError from a Status (its code's HTTP status and name).
ApiAnswer ApiError(const Status& status);

// The session token from the request's cookie, nullopt when there is none.
std::optional<std::string> SessionToken(const http::Request& request);

// JSON, or CSV (UTF-8 with BOM, as `<name>.csv`) when the path ends in ".csv" or the Accept
// header asks for text/csv.
http::Response JsonOrCsv(const http::Request& request, const nlohmann::ordered_json& json,
                         const CsvRows& csv, std::string_view name);

void AddSessionRoutes(http::Router& router, ApiContext& api);
void AddReportRoutes(http::Router& router, ApiContext& api);

}  // namespace onecard::server
