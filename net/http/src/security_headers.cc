#include "onecard/http/security_headers.h"

namespace onecard::http {

void ApplySecurityHeaders(Response& response, Transport transport) {
  using beast_http::field;
  if (transport == Transport::kTls) {
    response.set(field::strict_transport_security, "max-age=31536000; includeSubDomains");
  } else {
    response.erase(field::strict_transport_security);
  }
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set(field::x_frame_options, "DENY");
  response.set("Referrer-Policy", "no-referrer");
  if (response.find(field::cache_control) == response.end())
    response.set(field::cache_control, "no-store");
}

}  // namespace onecard::http
