// Numbers read from text that may be anything: values stored by terminals or by older versions,
// meta values, report cells. Pure functions, thread-safe; none throws (unlike std::stoi and kin,
// which throw on "abc" and on overflow and accept "12abc").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace onecard {

// The whole of `text` as a decimal integer (an optional leading '-' for the signed one), or
// nullopt when it is empty, has any other character (spaces, '+', a trailing "abc") or is out of
// range for the type.
std::optional<int64_t> ParseInt64(std::string_view text);
std::optional<uint64_t> ParseUint64(std::string_view text);

// The whole of `text` as a finite decimal number ("0.5", "-3", "1e3"), or nullopt (empty, other
// characters, "nan", "inf", out of range).
std::optional<double> ParseDouble(std::string_view text);

}  // namespace onecard
