// Static files (HTML, scripts, styles, fonts) embedded in the program, so the web front ends work
// with no files to install and no internet. Files are embedded at build time with
// onecard_embed_files() from cmake/embed.cmake, which yields {relative path, contents} pairs.
//
// Each file is served with a Content-Type from its extension, a strong ETag (a hash of its
// contents) and Cache-Control: no-cache (the browser keeps it but asks each time; an unchanged
// file costs a 304 with no body). Immutable files could be cached longer; none are yet.
//
// Thread-safety: immutable after construction.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "onecard/http/message.h"
#include "onecard/http/router.h"

namespace onecard::http {

// "text/javascript; charset=utf-8" for "app.js"; application/octet-stream when unknown.
std::string_view ContentTypeFor(std::string_view file_name);

class StaticAssets {
 public:
  // `files` as onecard_embed_files produces them; the views must outlive this object (they point
  // at static storage in the generated code).
  explicit StaticAssets(const std::vector<std::pair<std::string_view, std::string_view>>& files);

  bool Contains(std::string_view name) const { return files_.find(name) != files_.end(); }
  // The ETag of `name` ("\"<32 hex>\""), "" when there is no such file.
  std::string ETagOf(std::string_view name) const;

  // The file `name` as a response to `request`: 200 with the contents, or 304 when the request's
  // If-None-Match lists its ETag (or "*"). Precondition: Contains(name).
  Response Serve(std::string_view name, const Request& request) const;

  // Registers a GET route for every file under `prefix` ("/" or "/static"), and `prefix` itself
  // for "index.html" when there is one. Patterns are literal, so file names never act as
  // parameters.
  void AddRoutes(Router& router, std::string_view prefix) const;

 private:
  struct File {
    std::string_view contents;
    std::string etag;
  };
  std::map<std::string, File, std::less<>> files_;
};

}  // namespace onecard::http
