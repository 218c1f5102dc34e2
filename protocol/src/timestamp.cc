#include "onecard/protocol/timestamp.h"

#include <ctime>

namespace onecard {

std::string UtcIso8601(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string UtcNowIso8601(const platform::Clock& clock) { return UtcIso8601(clock.WallSeconds()); }

}  // namespace onecard
