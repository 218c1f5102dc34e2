// What a route handler sees of a request: the method, the decoded path and its parameters, the
// query, cookies, headers and body. Built by the router from a parsed RawRequest; read-only.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "onecard/http/cookies.h"
#include "onecard/http/message.h"
#include "onecard/http/url.h"

namespace onecard::http {

using PathParams = std::map<std::string, std::string, std::less<>>;

class Request {
 public:
  // `raw` must outlive the Request (the server keeps it for the whole exchange). `peer_address`:
  // the client's IP address as text, "" when there is none (a request made in process).
  Request(const RawRequest& raw, RequestTarget target, PathParams params,
          std::string peer_address = {});

  Method method() const { return raw_.method(); }
  // POST, PUT, DELETE or PATCH: a request that changes something, which CSRF checks guard.
  bool ChangesState() const {
    const Method m = method();
    return m == Method::post || m == Method::put || m == Method::delete_ || m == Method::patch;
  }
  // Decoded path segments ("/api/v1/counts/44%2001" -> {"api", "v1", "counts", "44 01"}).
  const std::vector<std::string>& segments() const { return target_.segments; }
  // The raw path without the query string (safe for logs: queries may carry secrets).
  const std::string& path() const { return target_.path; }
  // The decoded value of `{name}` in the route pattern. Precondition: the pattern has `{name}`
  // (a handler asking for a parameter its route lacks is a bug, and aborts).
  const std::string& Param(std::string_view name) const;
  const QueryParams& query() const { return target_.query; }
  const Cookies& cookies() const { return cookies_; }
  // The header's value, "" when absent.
  std::string_view Header(beast_http::field field) const;
  const std::string& body() const { return raw_.body(); }
  const RawRequest& raw() const { return raw_; }
  // The address the connection came from ("203.0.113.7", "2001:db8::1"); "" when unknown. Not a
  // forwarded-for header: this server is the TLS endpoint, and a header is what a client says.
  const std::string& peer_address() const { return peer_address_; }

 private:
  const RawRequest& raw_;
  RequestTarget target_;
  PathParams params_;
  Cookies cookies_;
  std::string peer_address_;
};

}  // namespace onecard::http
