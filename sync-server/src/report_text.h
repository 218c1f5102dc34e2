// How the server's command line prints report values: a report is JSON built from stored data,
// and a stored value may be of any type (a name that is a number, an area that is null), so the
// printing never asks for a type (get<std::string>() throws on a number) nor reads a missing key
// (operator[] on a const object is undefined for one). Header-only templates serve both
// nlohmann::json and nlohmann::ordered_json. Pure, thread-safe, never throw.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace onecard::server {

// A report cell whose value is missing, null or not a scalar.
inline constexpr char kUnknownText[] = "?";

// A string as it is; a number or boolean as JSON text ("12345", "true"); else kUnknownText.
template <class Json>
std::string ValueText(const Json& v) {
  if (v.is_string()) return v.template get_ref<const std::string&>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  return kUnknownText;
}

// ValueText of `object[key]`; kUnknownText when `object` is not an object or has no `key`.
template <class Json>
std::string MemberText(const Json& object, const char* key) {
  if (!object.is_object()) return kUnknownText;
  auto it = object.find(key);
  return it == object.end() ? std::string(kUnknownText) : ValueText(*it);
}

// `object[key]`, or a null value when `object` is not an object or has no `key` (never inserts).
template <class Json>
const Json& MemberOrNull(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

}  // namespace onecard::server
