#include "onecard/net/deadline.h"

#include <utility>

namespace onecard::net {

Deadline::Deadline(const boost::asio::any_io_executor& executor, std::function<void()> on_expiry)
    : timer_(executor), state_(std::make_shared<State>()) {
  state_->on_expiry = std::move(on_expiry);
}

Deadline::~Deadline() { ++state_->generation; }  // a firing already queued finds a stale generation

void Deadline::Arm(std::chrono::milliseconds timeout) {
  uint64_t generation = ++state_->generation;
  timer_.expires_after(timeout);
  timer_.async_wait([state = state_, generation](const boost::system::error_code& ec) {
    if (ec || state->generation != generation) return;
    state->expired = true;
    state->on_expiry();
  });
}

void Deadline::Disarm() {
  ++state_->generation;
  timer_.cancel();
}

}  // namespace onecard::net
