#include "onecard/platform/clock.h"

namespace onecard::platform {
namespace {

class SystemClockImpl final : public Clock {
 public:
  std::int64_t WallMs() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
  SteadyTime Steady() const override { return std::chrono::steady_clock::now(); }
};

}  // namespace

std::int64_t Clock::WallSeconds() const {
  const std::int64_t ms = WallMs();
  return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

const Clock& SystemClock() {
  static const SystemClockImpl clock;  // stateless; never destroyed before its last reader matters
  return clock;
}

}  // namespace onecard::platform
