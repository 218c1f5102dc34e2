// Wall-clock timestamps as text: "2026-11-23T10:00:00Z" (UTC, second precision).
#pragma once

#include <cstdint>
#include <string>

namespace onecard {

std::string UtcIso8601(int64_t unix_seconds);
std::string UtcNowIso8601();
int64_t UnixNow();

}  // namespace onecard
