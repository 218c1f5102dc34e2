#include "onecard/http/static_assets.h"

#include <array>
#include <memory>

#include "onecard/http/response.h"
#include "onecard/protocol/crypto.h"

namespace onecard::http {

namespace {

// True when an If-None-Match header value lists `etag` or is "*". Weak validators ("W/\"..\"")
// compare by their opaque part, as RFC 9110 requires for If-None-Match.
bool MatchesETag(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
  }
  return false;
}

std::string HashETag(std::string_view contents) {
  Bytes digest =
      Sha256(ByteSpan(reinterpret_cast<const uint8_t*>(contents.data()), contents.size()));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string etag = "\"";
  for (size_t i = 0; i < 16; ++i) {
    etag.push_back(kHex[digest[i] >> 4]);
    etag.push_back(kHex[digest[i] & 0xF]);
  }
  return etag + "\"";
}

}  // namespace

std::string_view ContentTypeFor(std::string_view file_name) {
  static const std::array<std::pair<std::string_view, std::string_view>, 14> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".wasm", "application/wasm"},
  }};
  size_t dot = file_name.rfind('.');
  size_t slash = file_name.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  std::string_view extension = file_name.substr(dot);
  for (const auto& [ext, type] : kTypes) {
    if (ext == extension) return type;
  }
  return "application/octet-stream";
}

StaticAssets::StaticAssets(
    const std::vector<std::pair<std::string_view, std::string_view>>& files) {
  for (const auto& [name, contents] : files) {
    files_.emplace(std::string(name), File{contents, HashETag(contents)});
  }
}

std::string StaticAssets::ETagOf(std::string_view name) const {
  auto it = files_.find(name);
  return it == files_.end() ? std::string() : it->second.etag;
}

Response StaticAssets::Serve(std::string_view name, const Request& request) const {
  auto it = files_.find(name);
  ONECARD_CHECK(it != files_.end());
  const File& file = it->second;
  Response response;
  if (MatchesETag(request.Header(beast_http::field::if_none_match), file.etag)) {
    response = Response(StatusCode::not_modified, 11);
  } else {
    response = MakeResponse(StatusCode::ok, ContentTypeFor(name), std::string(file.contents));
  }
  response.set(beast_http::field::etag, file.etag);
  response.set(beast_http::field::cache_control, "no-cache");
  return response;
}

void StaticAssets::AddRoutes(Router& router, std::string_view prefix) const {
  std::string base(prefix);
  if (base.empty() || base.back() != '/') base.push_back('/');
  for (const auto& [name, file] : files_) {
    std::string file_name = name;
    Handler serve = [this, file_name](const Request& request) { return Serve(file_name, request); };
    router.Get(base + name, serve);
    if (name == "index.html")
      router.Get(base == "/" ? "/" : base.substr(0, base.size() - 1), serve);
  }
}

}  // namespace onecard::http
