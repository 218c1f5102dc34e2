// Cookies (RFC 6265): reading the Cookie request header and building Set-Cookie.
//
// Cookie values are secrets (session tokens): nothing here logs them, and the server's access log
// never includes them. Names must be RFC 7230 tokens; values RFC 6265 cookie-octets (printable
// ASCII without space, '"', ',', ';' and '\').
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "onecard/protocol/status.h"

namespace onecard::http {

// name -> value. When a name repeats, the first one wins (browsers send the most specific first).
using Cookies = std::map<std::string, std::string, std::less<>>;

// Parses "a=1; b=2". Malformed pairs (no '=', bad name or value) are skipped, never fatal: one
// bad cookie set by another application on the same host must not lock a person out.
// A value in double quotes is returned without them.
Cookies ParseCookieHeader(std::string_view header);

bool IsValidCookieName(std::string_view name);
bool IsValidCookieValue(std::string_view value);

enum class SameSite { kStrict, kLax };

// A Set-Cookie to send. Defaults are the safe ones: Secure, HttpOnly, SameSite=Strict, Path=/.
struct SetCookie {
  std::string name;
  std::string value;
  std::string path = "/";
  std::optional<std::chrono::seconds> max_age =
      std::nullopt;  // none: a session cookie; 0: delete it now
  bool http_only = true;
  bool secure = true;
  SameSite same_site = SameSite::kStrict;
};

// "name=value; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Strict".
// kInvalidArgument when the name, value or path is not allowed, or max_age is negative.
Result<std::string> FormatSetCookie(const SetCookie& cookie);

// A cookie that makes the browser forget `name` (empty value, Max-Age=0).
SetCookie ExpiredCookie(std::string name, std::string path = "/");

}  // namespace onecard::http
