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
// A stream route (Router::Stream) answers GET with an event stream (event_channel.h): its handler
// returns the channel to follow, or a Status that becomes ErrorResponse(status) (401, 404, ...).
//
// Thread-safety: register every route before the server starts; after that, Dispatch is const and
// may run on several threads at once. Handlers run on the server's I/O threads, so they must not
// block for long; they should not throw (an exception becomes a 500 and is not shown to the
// client).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "onecard/http/event_channel.h"
#include "onecard/http/message.h"
#include "onecard/http/request.h"
#include "onecard/protocol/status.h"

namespace onecard::http {

using Handler = std::function<Response(const Request&)>;
using StreamHandler = std::function<Result<std::shared_ptr<EventChannel>>(const Request&)>;

// What the router answers: a whole response, or the head of an event stream and its channel.
struct Routed {
  Response response;
  std::shared_ptr<EventChannel> events;  // set: `response` is the head; follow with the stream
};

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
  // A GET route answered with an event stream. HEAD runs the handler and answers the head only.
  Router& Stream(std::string_view pattern, StreamHandler handler);

  // The answer for `raw`: the handler's, or a JSON error (400 bad target, 404, 405, 500).
  // Answers to HEAD keep the GET response's headers (Content-Length included) with no body.
  // `peer_address` is handed to the handler (Request::peer_address).
  Routed Route(const RawRequest& raw, std::string_view peer_address = {}) const;
  // Route's response alone (for a stream route, its head with an empty body).
  Response Dispatch(const RawRequest& raw, std::string_view peer_address = {}) const {
    return Route(raw, peer_address).response;
  }

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool parameter = false;
  };
  struct Entry {
    Method method;
    std::vector<Segment> segments;
    Handler handler;  // one of these two is set
    StreamHandler stream;
  };

  // How well `route` fits `segments`: -1 when it does not match; otherwise higher for more
  // literals.
  static int MatchScore(const Entry& route, const std::vector<std::string>& segments);
  Response MethodNotAllowed(const std::vector<std::string>& segments) const;
  Router& AddEntry(Method method, std::string_view pattern, Handler handler, StreamHandler stream);
  // Runs the matched handler; an exception becomes a 500.
  static Routed Call(const Entry& route, const Request& request);

  std::vector<Entry> routes_;
};

}  // namespace onecard::http
