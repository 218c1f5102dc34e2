#include "onecard/http/security_headers.h"

namespace onecard::http {

void ApplySecurityHeaders(Response& response) {
  using beast_http::field;
  response.set(field::strict_transport_security, "max-age=31536000; includeSubDomains");
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set(field::x_frame_options, "DENY");
  response.set("Referrer-Policy", "no-referrer");
  if (response.find(field::cache_control) == response.end())
    response.set(field::cache_control, "no-store");
}

}  // namespace onecard::http
