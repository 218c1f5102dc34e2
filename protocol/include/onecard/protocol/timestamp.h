// Wall-clock timestamps as text: "2026-11-23T10:00:00Z" (UTC, second precision).
#pragma once

#include <cstdint>
#include <string>

#include "onecard/platform/clock.h"

namespace onecard {

std::string UtcIso8601(int64_t unix_seconds);
// The wall time of `clock`, as above.
std::string UtcNowIso8601(const platform::Clock& clock);

}  // namespace onecard
