// Headers every response carries, whatever produced it (a handler, the router, a limit):
//   Strict-Transport-Security   the site is HTTPS only, for a year (over TLS only: a browser
//                               ignores it over plain HTTP, and the plain server is loopback only)
//   Content-Security-Policy     own origin only, no inline script or style, no framing, no plugins
//   X-Content-Type-Options      nosniff: a file is only ever what its Content-Type says
//   X-Frame-Options             DENY (older browsers; frame-ancestors 'none' for the rest)
//   Referrer-Policy             no-referrer: addresses (which name areas) never leak to other sites
//   Cache-Control               no-store unless the response set its own (static assets do):
//                               API answers hold personal or protected counts, never cached
#pragma once

#include <string_view>

#include "onecard/http/message.h"

namespace onecard::http {

inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// How the response travels: HSTS is sent over TLS only.
enum class Transport { kTls, kPlain };

// Sets the headers above on `response`, replacing any a handler set (except Cache-Control).
void ApplySecurityHeaders(Response& response, Transport transport = Transport::kTls);

}  // namespace onecard::http
