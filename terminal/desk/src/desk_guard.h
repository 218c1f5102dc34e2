// Who may talk to the desk's HTTP server on loopback (docs/desk.md, "Security"):
// - Host must be the desk's own address (127.0.0.1:PORT, localhost:PORT or [::1]:PORT): a page of
//   another site whose name resolves to 127.0.0.1 (DNS rebinding) is refused, so it can neither
//   read answers nor reach the API.
// - The browser must hold a session cookie (browser_sessions.h) from the launch link.
// - A request that changes something (POST, PUT, DELETE, PATCH) must come from the desk's own
// pages:
//   Origin, when the browser sends it, is the desk's own, and X-CSRF-Token is the session's token.
//
// Thread-safe once the port is set.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "browser_sessions.h"
#include "onecard/http/request.h"
#include "onecard/protocol/status.h"

namespace onecard::desk {

// The session cookie's name and the CSRF header's.
inline constexpr char kSessionCookie[] = "onecard_desk";
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";

class DeskGuard {
 public:
  explicit DeskGuard(const BrowserSessions& sessions) : sessions_(sessions) {}

  // The port the desk listens on (known once it is bound); until set, every Host is refused.
  void set_port(uint16_t port) { port_ = port; }

  // Whether the request names the desk in Host (kPermissionDenied otherwise).
  Status CheckHost(const http::Request& request) const;
  // The request's browser session, after every check above: kPermissionDenied for a foreign Host
  // or Origin, kUnauthenticated without a valid session cookie, kPermissionDenied for a missing or
  // wrong CSRF token on a request that changes something.
  Result<BrowserSession> Check(const http::Request& request) const;

 private:
  bool IsOwnAuthority(std::string_view host_and_port) const;

  const BrowserSessions& sessions_;
  std::atomic<uint16_t> port_{0};
};

}  // namespace onecard::desk
