#include "onecard/http/request.h"

#include "onecard/protocol/status.h"

namespace onecard::http {

Request::Request(const RawRequest& raw, RequestTarget target, PathParams params,
                 std::string peer_address)
    : raw_(raw),
      target_(std::move(target)),
      params_(std::move(params)),
      peer_address_(std::move(peer_address)) {
  // Several Cookie headers (HTTP/2 gateways split them) are read as one list.
  for (auto it = raw.find(beast_http::field::cookie);
       it != raw.end() && it->name() == beast_http::field::cookie; ++it) {
    for (auto& [name, value] : ParseCookieHeader(it->value())) cookies_.emplace(name, value);
  }
}

const std::string& Request::Param(std::string_view name) const {
  auto it = params_.find(name);
  ONECARD_CHECK(it != params_.end());
  return it->second;
}

std::string_view Request::Header(beast_http::field field) const {
  auto it = raw_.find(field);
  return it == raw_.end() ? std::string_view() : std::string_view(it->value());
}

}  // namespace onecard::http
