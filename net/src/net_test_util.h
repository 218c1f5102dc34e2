// Helpers shared by the net unit tests: running a coroutine on an io_context with a bound on the
// time it may take, so a test that would hang fails instead.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "sync.pb.h"

namespace onecard::net::testing {

// Runs `coroutine` on `io` for at most `limit`; its result, or nullopt when it did not finish.
template <typename T>
std::optional<T> RunFor(boost::asio::io_context& io, boost::asio::awaitable<T> coroutine,
                        std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  std::optional<T> result;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, std::move(coroutine), [&](std::exception_ptr e, T value) {
    failure = e;
    if (!e) result = std::move(value);
  });
  io.restart();
  io.run_for(limit);
  if (failure) std::rethrow_exception(failure);
  return result;
}

// A Hello whose frame is longer by `padding` bytes.
inline wire::Envelope HelloEnvelope(const std::string& terminal_id, size_t padding = 0) {
  wire::Envelope envelope;
  envelope.mutable_hello()->set_protocol_version(3);
  envelope.mutable_hello()->set_terminal_id(terminal_id);
  envelope.mutable_hello()->set_software(std::string(padding, 's'));
  return envelope;
}

}  // namespace onecard::net::testing
