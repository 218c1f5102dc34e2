// Routing: method + path pattern to a handler.
//
//   Router router;
//   router.Get("/api/v1/counts/{area}", [&](const Request& r) {
//     return JsonResponse(StatusCode::ok, counts.For(r.Param("area")));
//   });
//
// A pattern is '/'-separated segments, each a literal ("counts") or a parameter ("{area}") that
// matches one whole non-empty decoded segment. Literals win over parameters at the same position
// ("/a/new" is chosen over "/a/{id}" for "/a/new"). A path no pattern matches is 404; a path some
// pattern matches but not for this method is 405 with an Allow header. GET routes answer HEAD too.
//
// Thread-safety: register every route before the server starts; after that, Dispatch is const and
// may run on several threads at once. Handlers run on the server's I/O threads, so they must not
// block for long; they should not throw (an exception becomes a 500 and is not shown to the
// client).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "onecard/http/message.h"
#include "onecard/http/request.h"

namespace onecard::http {

using Handler = std::function<Response(const Request&)>;

class Router {
 public:
  // Aborts on a malformed pattern ("", no leading '/', "{}", "{a" or a repeated parameter name) or
  // a second handler for the same method and pattern: both are programming errors.
  Router& Add(Method method, std::string_view pattern, Handler handler);
  Router& Get(std::string_view pattern, Handler handler) {
    return Add(Method::get, pattern, std::move(handler));
  }
  Router& Post(std::string_view pattern, Handler handler) {
    return Add(Method::post, pattern, std::move(handler));
  }
  Router& Put(std::string_view pattern, Handler handler) {
    return Add(Method::put, pattern, std::move(handler));
  }
  Router& Delete(std::string_view pattern, Handler handler) {
    return Add(Method::delete_, pattern, std::move(handler));
  }

  // The response for `raw`: the handler's, or a JSON error (400 bad target, 404, 405, 500).
  // Answers to HEAD keep the GET response's headers (Content-Length included) with no body.
  // `peer_address` is handed to the handler (Request::peer_address).
  Response Dispatch(const RawRequest& raw, std::string_view peer_address = {}) const;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool parameter = false;
  };
  struct Route {
    Method method;
    std::vector<Segment> segments;
    Handler handler;
  };

  // How well `route` fits `segments`: -1 when it does not match; otherwise higher for more
  // literals.
  static int MatchScore(const Route& route, const std::vector<std::string>& segments);
  Response MethodNotAllowed(const std::vector<std::string>& segments) const;

  std::vector<Route> routes_;
};

}  // namespace onecard::http
