// How the server's command line prints report values that come from stored data as they are: a
// record's field may be of any JSON type in data stored before validation (a name that is a
// number), so the printing never asks for a type (get<std::string>() throws on a number). Pure,
// thread-safe, never throw.
#pragma once

#include <optional>
#include <string>

#include "onecard/server/reports.h"

namespace onecard::server {

// A value that is missing, null or not a scalar.
inline constexpr char kUnknownText[] = "?";

// A string as it is; a number or boolean as JSON text ("12345", "true"); else kUnknownText.
inline std::string RecordValueText(const RecordValue& v) {
  if (v.is_string()) return v.get_ref<const std::string&>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  return kUnknownText;
}

// An identity score as JSON writes it ("8.0", "2.5"); kUnknownText when there is none.
inline std::string ScoreText(std::optional<double> score) {
  return score ? RecordValue(*score).dump() : std::string(kUnknownText);
}

}  // namespace onecard::server
