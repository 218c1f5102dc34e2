// Request-target parsing: percent-decoding (RFC 3986) into strict UTF-8, path segments, and the
// query string (application/x-www-form-urlencoded, where '+' is a space). Pure functions, no I/O.
//
// Hostile input is an error value (kInvalidArgument, one sentence in the user's language): a '%'
// not followed by two hex digits, decoded bytes that are not valid UTF-8 (RFC 3629), or a NUL.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "onecard/protocol/status.h"

namespace onecard::http {

// Decodes %XX escapes; when `plus_is_space`, '+' becomes ' ' (query strings, not paths).
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Encodes every byte outside RFC 3986 "unreserved" as %XX (for building links and redirects).
std::string PercentEncode(std::string_view text);

// Parsed query parameters in request order; a name may repeat ("area=1&area=2").
class QueryParams {
 public:
  QueryParams() = default;
  explicit QueryParams(std::vector<std::pair<std::string, std::string>> items)
      : items_(std::move(items)) {}

  // The first value of `name`, or nullopt when absent. "?flag" (no '=') has the value "".
  std::optional<std::string> Get(std::string_view name) const;
  std::vector<std::string> All(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Parses "a=1&b=%E4%B8%AD&c" (without the leading '?'). Empty pieces ("a=1&&b=2") are skipped.
Result<QueryParams> ParseQuery(std::string_view query);

// An origin-form request target ("/api/v1/counts/4401?as_of=2024") split and decoded.
struct RequestTarget {
  // Decoded path segments: "/" has none, "/a/" is {"a", ""}; "%2F" stays inside its segment.
  std::vector<std::string> segments;
  std::string path;  // the raw (still encoded) path, for logs: never the query
  QueryParams query;
};

// Errors: kInvalidArgument when the target does not start with '/' (absolute-form, authority-form
// and "*" are not served), contains a fragment, a "." or ".." segment (never normalised: refused),
// or bad percent-encoding / UTF-8 in the path or the query.
Result<RequestTarget> ParseRequestTarget(std::string_view target);

}  // namespace onecard::http
