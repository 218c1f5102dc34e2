// Hybrid logical clock (Kulkarni et al.): timestamps that follow physical time but never go
// backwards and always exceed every timestamp already seen, so events are ordered consistently with
// causality even when terminals' clocks disagree.
//
// A timestamp is (unix milliseconds << 16) | counter. Pure: the caller supplies physical time.
#pragma once

#include <cstdint>

namespace onecard {

class HybridClock {
 public:
  explicit HybridClock(uint64_t last = 0) : last_(last) {}

  // A new timestamp greater than every one issued or observed so far.
  uint64_t Now(uint64_t physical_ms);
  // Takes note of a timestamp received from elsewhere.
  void Observe(uint64_t remote) {
    if (remote > last_) last_ = remote;
  }
  uint64_t last() const { return last_; }

  static uint64_t PhysicalMs(uint64_t hlc) { return hlc >> 16; }
  static uint64_t SystemMs();  // wall clock, for callers

 private:
  uint64_t last_;
};

}  // namespace onecard
