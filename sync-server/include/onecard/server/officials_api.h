// The officials' HTTPS API (CLI.md "HTTP API", docs/api.md) as routes of the net/http server:
// sessions, counts, referral outcomes and area names, each as JSON or CSV.
//
// What every route does before and after its handler:
//   - authentication: the session cookie (kSessionCookie) names a valid session (sign_in.h), else
//     401 with a JSON error (the session routes' POST excepted);
//   - CSRF: a POST or DELETE must carry the session's token in the X-CSRF-Token header, and an
//     Origin header, when the browser sends one, must be this server's; else 403 (docs/api.md
//     explains the choice);
//   - jurisdiction: the area asked about must lie within the account's area prefix, else 403;
//   - audit: every request, answered or refused, is appended to the store's API audit (who, what,
//     when, status, how many cells); a request that cannot be audited gets 500 and no data.
// Counts come from ReportStore with small cells suppressed, exactly as `counts --json` without
// `--exact` (the same report_json conversion).
//
// Thread-safety: after AddRoutes, the routes may run on several threads at once.
#pragma once

#include <memory>

#include "onecard/http/router.h"
#include "onecard/platform/clock.h"
#include "onecard/server/account_store.h"
#include "onecard/server/report_store.h"
#include "onecard/server/sign_in.h"

namespace onecard::server {

// The session cookie: "__Host-" makes browsers insist on Secure, Path=/ and no Domain.
inline constexpr char kSessionCookie[] = "__Host-onecard_session";
// The header a state-changing request carries its session's CSRF token in.
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";

class OfficialsApi {
 public:
  // The stores and the clock must outlive the API and every route it added.
  OfficialsApi(AccountStore& accounts, ReportStore& reports, const platform::Clock& clock,
               SignInPolicy policy = {});
  ~OfficialsApi();
  OfficialsApi(const OfficialsApi&) = delete;
  OfficialsApi& operator=(const OfficialsApi&) = delete;

  // Registers /api/v1/session, /api/v1/counts[.csv], /api/v1/referrals/stats[.csv] and
  // /api/v1/areas[.csv] on `router`, which must not outlive this object.
  void AddRoutes(http::Router& router);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onecard::server
