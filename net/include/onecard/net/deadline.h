// A deadline on one stream's operations: a timer and a generation counter.
//
// Contract: Arm(timeout) starts (or restarts) the deadline; when it passes before Disarm() or the
// next Arm(), `on_expiry` runs once on the timer's executor and expired() becomes true for good.
// `on_expiry` closes (or cancels) the stream, which completes the pending operation with an
// error; the caller then checks expired() to report the error as kDeadlineExceeded rather than as
// the connection loss the closing looks like.
//
// Why a generation: a firing that was already queued when the deadline was disarmed or re-armed
// must be ignored; cancelling the timer cannot recall it. Destroying the Deadline also bumps the
// generation, so `on_expiry` may capture its owner by reference when the owner holds the Deadline.
//
// Not thread-safe: Arm, Disarm and the firing run on one thread or strand (the timer's executor).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace onecard::net {

class Deadline {
 public:
  Deadline(const boost::asio::any_io_executor& executor, std::function<void()> on_expiry);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  void Arm(std::chrono::milliseconds timeout);
  void Disarm();
  // True once the deadline has fired (sticky: the stream it guarded is closed).
  bool expired() const { return state_->expired; }

 private:
  // Shared with the pending timer handler, which may run after the Deadline is gone.
  struct State {
    uint64_t generation = 0;
    bool expired = false;
    std::function<void()> on_expiry;
  };
  boost::asio::steady_timer timer_;
  std::shared_ptr<State> state_;
};

}  // namespace onecard::net
