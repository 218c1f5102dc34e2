#include "onecard/protocol/hybrid_clock.h"

namespace onecard {

uint64_t HybridClock::Now(uint64_t physical_ms) {
  uint64_t candidate = physical_ms << 16;
  last_ = candidate > last_ ? candidate : last_ + 1;
  return last_;
}

}  // namespace onecard
