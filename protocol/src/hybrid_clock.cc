#include "onecard/protocol/hybrid_clock.h"

#include <chrono>

namespace onecard {

uint64_t HybridClock::Now(uint64_t physical_ms) {
  uint64_t candidate = physical_ms << 16;
  last_ = candidate > last_ ? candidate : last_ + 1;
  return last_;
}

uint64_t HybridClock::SystemMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace onecard
