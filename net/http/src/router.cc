#include "onecard/http/router.h"

#include <exception>
#include <set>

#include "event_stream_format.h"
#include "onecard/http/response.h"
#include "onecard/protocol/i18n.h"

namespace onecard::http {

namespace {

// A parameter is written "{name}" with a non-empty name free of braces and slashes.
bool IsParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}' &&
         segment.substr(1, segment.size() - 2).find_first_of("{}") == std::string_view::npos;
}

// Gives every response a length so the connection can be kept alive; 304, 204 and 1xx responses
// carry no body by definition (a handler's body there is dropped, as Beast would throw on it).
void FinishPayload(Response& response) {
  auto status = response.result();
  if (status == StatusCode::not_modified || status == StatusCode::no_content ||
      beast_http::to_status_class(status) == beast_http::status_class::informational) {
    response.body().clear();
    return;
  }
  if (!response.has_content_length() && !response.chunked()) response.prepare_payload();
}

}  // namespace

Router& Router::Add(Method method, std::string_view pattern, Handler handler) {
  ONECARD_CHECK(handler != nullptr);
  return AddEntry(method, pattern, std::move(handler), nullptr);
}

Router& Router::Stream(std::string_view pattern, StreamHandler handler) {
  ONECARD_CHECK(handler != nullptr);
  return AddEntry(Method::get, pattern, nullptr, std::move(handler));
}

Router& Router::AddEntry(Method method, std::string_view pattern, Handler handler,
                         StreamHandler stream) {
  ONECARD_CHECK(!pattern.empty() && pattern.front() == '/');
  Entry route{method, {}, std::move(handler), std::move(stream)};
  std::set<std::string> names;
  if (pattern != "/") {
    size_t start = 1;
    for (;;) {
      size_t end = pattern.find('/', start);
      std::string_view piece = pattern.substr(
          start, end == std::string_view::npos ? std::string_view::npos : end - start);
      bool parameter = IsParameter(piece);
      ONECARD_CHECK(parameter || piece.find_first_of("{}") == std::string_view::npos);
      std::string text(parameter ? piece.substr(1, piece.size() - 2) : piece);
      ONECARD_CHECK(!parameter || names.insert(text).second);
      route.segments.push_back({std::move(text), parameter});
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
  }
  for (const Entry& other : routes_) {
    std::vector<std::string> a, b;
    for (const Segment& s : other.segments) a.push_back(s.parameter ? "{}" : s.text);
    for (const Segment& s : route.segments) b.push_back(s.parameter ? "{}" : s.text);
    ONECARD_CHECK(other.method != method || a != b);
  }
  routes_.push_back(std::move(route));
  return *this;
}

int Router::MatchScore(const Entry& route, const std::vector<std::string>& segments) {
  if (route.segments.size() != segments.size()) return -1;
  int literals = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    const Segment& s = route.segments[i];
    if (s.parameter) {
      if (segments[i].empty()) return -1;
    } else if (s.text != segments[i]) {
      return -1;
    } else {
      ++literals;
    }
  }
  return literals;
}

Response Router::MethodNotAllowed(const std::vector<std::string>& segments) const {
  std::set<std::string> allowed;
  for (const Entry& route : routes_) {
    if (MatchScore(route, segments) < 0) continue;
    allowed.insert(std::string(beast_http::to_string(route.method)));
    if (route.method == Method::get) allowed.insert("HEAD");
  }
  std::string allow;
  for (const std::string& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
  Response response =
      ErrorResponse(StatusCode::method_not_allowed, "method_not_allowed",
                    Tr("此地址不支持该请求方法", "this address does not accept that method"));
  response.set(beast_http::field::allow, allow);
  return response;
}

Routed Router::Call(const Entry& route, const Request& request) {
  try {
    if (route.handler) return {route.handler(request), nullptr};
    Result<std::shared_ptr<EventChannel>> channel = route.stream(request);
    if (!channel.ok()) return {ErrorResponse(channel.status()), nullptr};
    ONECARD_CHECK(*channel != nullptr);
    return {EventStreamHead(), std::move(channel).value()};
  } catch (const std::exception&) {
    // What the exception says may name internals; the client learns only that it failed.
    return {ErrorResponse(StatusCode::internal_server_error, "internal",
                          Tr("服务器内部错误", "internal server error")),
            nullptr};
  }
}

Routed Router::Route(const RawRequest& raw, std::string_view peer_address) const {
  Result<RequestTarget> target = ParseRequestTarget(raw.target());
  if (!target.ok())
    return {ErrorResponse(StatusCode::bad_request, "bad_request", target.status().message()),
            nullptr};
  Method method = raw.method() == Method::head ? Method::get : raw.method();
  const Entry* best = nullptr;
  int best_score = -1;
  bool path_known = false;
  for (const Entry& route : routes_) {
    int score = MatchScore(route, target->segments);
    if (score < 0) continue;
    path_known = true;
    if (route.method == method && score > best_score) {
      best = &route;
      best_score = score;
    }
  }
  if (best == nullptr && path_known) return {MethodNotAllowed(target->segments), nullptr};
  if (best == nullptr) {
    return {
        ErrorResponse(StatusCode::not_found, "not_found", Tr("找不到此地址", "no such address")),
        nullptr};
  }
  PathParams params;
  for (size_t i = 0; i < best->segments.size(); ++i) {
    if (best->segments[i].parameter) params.emplace(best->segments[i].text, target->segments[i]);
  }
  Routed routed = Call(
      *best, Request(raw, std::move(target).value(), std::move(params), std::string(peer_address)));
  if (routed.events) {
    if (raw.method() == Method::head) routed.events = nullptr;
    return routed;  // no Content-Length: the body is the stream
  }
  FinishPayload(routed.response);
  if (raw.method() == Method::head) routed.response.body().clear();  // GET's Content-Length stays
  return routed;
}

}  // namespace onecard::http
