#include "onecard/http/cookies.h"

#include "onecard/protocol/i18n.h"

namespace onecard::http {

namespace {

bool IsTokenChar(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (byte <= 0x20 || byte >= 0x7F) return false;
  return std::string_view("()<>@,;:\\\"/[]?={}").find(c) == std::string_view::npos;
}

bool IsCookieOctet(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte == 0x21 || (byte >= 0x23 && byte <= 0x2B) || (byte >= 0x2D && byte <= 0x3A) ||
         (byte >= 0x3C && byte <= 0x5B) || (byte >= 0x5D && byte <= 0x7E);
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A path attribute value: printable ASCII except ';' (RFC 6265 av-octet), starting with '/'.
bool IsValidPath(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  for (char c : path) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F || c == ';') return false;
  }
  return true;
}

}  // namespace

bool IsValidCookieName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool IsValidCookieValue(std::string_view value) {
  for (char c : value) {
    if (!IsCookieOctet(c)) return false;
  }
  return true;
}

Cookies ParseCookieHeader(std::string_view header) {
  Cookies cookies;
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view pair = Trim(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = Trim(pair.substr(0, eq));
    std::string_view value = Trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!IsValidCookieName(name) || !IsValidCookieValue(value)) continue;
    cookies.emplace(std::string(name), std::string(value));  // keeps the first of a repeated name
  }
  return cookies;
}

Result<std::string> FormatSetCookie(const SetCookie& cookie) {
  if (!IsValidCookieName(cookie.name)) {
    return Status(ErrorCode::kInvalidArgument, Tr("Cookie 名称无效", "invalid cookie name"));
  }
  if (!IsValidCookieValue(cookie.value)) {
    // The value is a secret: the message names the cookie, never its value.
    return Status(ErrorCode::kInvalidArgument, Tr("Cookie " + cookie.name + " 的值含有不允许的字符",
                                                  "the value of cookie " + cookie.name +
                                                      " has characters that are not allowed"));
  }
  if (!IsValidPath(cookie.path)) {
    return Status(ErrorCode::kInvalidArgument, Tr("Cookie 路径无效", "invalid cookie path"));
  }
  if (cookie.max_age && cookie.max_age->count() < 0) {
    return Status(ErrorCode::kInvalidArgument,
                  Tr("Cookie 有效期不能为负", "cookie Max-Age must not be negative"));
  }
  std::string out = cookie.name + "=" + cookie.value + "; Path=" + cookie.path;
  if (cookie.max_age) out += "; Max-Age=" + std::to_string(cookie.max_age->count());
  if (cookie.secure) out += "; Secure";
  if (cookie.http_only) out += "; HttpOnly";
  out += cookie.same_site == SameSite::kStrict ? "; SameSite=Strict" : "; SameSite=Lax";
  return out;
}

SetCookie ExpiredCookie(std::string name, std::string path) {
  SetCookie cookie;
  cookie.name = std::move(name);
  cookie.path = std::move(path);
  cookie.max_age = std::chrono::seconds(0);
  return cookie;
}

}  // namespace onecard::http
